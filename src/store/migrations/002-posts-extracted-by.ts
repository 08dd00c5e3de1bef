/**
 * Which extractor last processed a post version, so that a replay can find posts an older
 * extractor read, including those that gave no records at all. (No index: replay scans anyway,
 * and every extraction writes this column.)
 */
export const sql = `
alter table posts add column if not exists extracted_by text;
alter table posts add column if not exists extracted_at timestamptz;
`;
