export { announcement, fallbackNotice } from './announce.ts';
export { checklistMessage } from './checklist.ts';
export { incidentHeader } from './header.ts';
export type { Message } from './kit.ts';
export {
  DECLARE_FIELDS,
  declareModal,
  ESCALATE_FIELDS,
  escalateModal,
  SEVERITY_FIELDS,
  SKIP_FIELDS,
  STATUS_FIELDS,
  severityModal,
  skipStepModal,
  statusModal,
  VISIBILITY,
} from './modals.ts';
export {
  incidentList,
  PICK_BLOCK_PREFIX,
  parsePickBlockId,
  pickedCommand,
  pickIncident,
  refusal,
  resolvedMessage,
  runbookSearch,
  timelineMessage,
  usage,
} from './replies.ts';
export { stepMessage } from './step.ts';
