/** The outbox publisher looks up the previous event of a record (delivery order per subscriber). */
export const sql = `
create index if not exists events_record on events (record_id, seq);
`;
