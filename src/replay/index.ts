/** Replay: recorded conversations sent again to the current bot in process, replies compared. */
export { ReplayAdapter } from './replay-adapter.js';
export { Replayer, ReplayConversation, createReplayServices, replayConfig, type ReplayResult, type ReplayDifference } from './replayer.js';
export { splitTurns, isFromBot, NOISE_TYPES, type RecordedTurn, type SplitTranscript } from './turns.js';
export { toComparable, sameReplies, canonicalJson, withoutRunValues, type ComparableReply, type ComparableAction, type ComparableAttachment } from './comparable.js';
export { formatTurnDiff, describeInput, displayWidth } from './diff.js';
export { asRecordedReply, rerecord } from './rerecord.js';
export { toJUnitXml } from './junit.js';
export { findTranscriptFiles } from './files.js';
export { plainProgress, terminalProgress, type Progress } from './progress.js';
export { replayFiles, replayOneFile, formatResult, summaryLine, type RunOptions, type RunSummary, type FileOutcome } from './run-replay.js';
export { ReplayPool, type ReplayPoolOptions } from './replay-pool.js';
export { goldenPaths, type FlowPath, type PathStep } from './golden-paths.js';
export { goldenScripts, recordScript, sameRecording, LOCALES, type GoldenScript, type ScriptAction } from './golden.js';
