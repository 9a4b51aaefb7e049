/** The troubleshooting flow: machine, vocabulary and step catalogue. */
export {
  troubleshootingMachine,
  TROUBLESHOOTING_FLOW_VERSION,
  TRAIL_LIMIT,
  TOPIC_JUMPS,
  HANDOFF_STATE_IDS,
  type TroubleshootingContext,
  type TroubleshootingMachine,
  type JumpPattern,
} from './machine.js';
export {
  TOPICS,
  METHODS,
  ANSWER_EVENT_TYPES,
  GLOBAL_EVENT_TYPES,
  isTopic,
  isSimpleEventType,
  type Topic,
  type Method,
  type TopicJumpSlots,
  type TopicJumpEvent,
  type TopicChosenEventType,
  type SimpleEventType,
  type TroubleshootingEvent,
} from './events.js';
export { CHECK_BRANCHES, CONFIRM_STEP_IDS, branchOf, pathStateKey, remainingChecks, resolvingStep, type CheckBranch } from './branches.js';
export { CHECK_FAILED_OPTION_IDS, OPTIONS, OPTION_IDS, type OptionId, type TroubleshootingOption } from './options.js';
export { QUESTION_STEP_IDS, MAIN_MENU_ID, TOPIC_START, SECTIONS, type StepId } from './steps.js';
