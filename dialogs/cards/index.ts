/** Adaptive Cards with text fallbacks, and what each channel can show. Re-exports only. */
export { evidenceChecklistCard, evidenceChecklistText, type ChecklistItem } from './checklist.js';
export {
  remedyProposalCard,
  remedyProposalText,
  parseRemedyValue,
  type RemedyProposal,
  type RemedyAnswer,
} from './remedy.js';
export { csatCard, csatText, parseCsatValue, type CsatAnswer } from './csat.js';
export { channelCaps, cardOrText, versionAtMost, type ChannelCaps } from './channels.js';
export {
  cardLabels,
  loadCardLabels,
  CARD_LANGS,
  type CardLang,
  type CardLabels,
  type ChecklistStatus,
} from './labels.js';
export { CARD_VERSION, ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from './adaptive.js';
