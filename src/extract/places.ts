/**
 * The extractor's one door to the gazetteer (src/extract/gazetteer, GAZETTEER_API.md): scanning a
 * text for region and place mentions, resolving a written form, and naming entries in a language.
 */
export {
  scanText,
  resolve,
  regionByCode,
  findRegion,
  localName,
  type Mention,
  type PlaceMention,
  type RegionMention,
  type RegionEntry,
  type PlaceEntry,
  type Candidate,
  type GazetteerKind,
  type ResolveContext,
} from './gazetteer/index.js';
