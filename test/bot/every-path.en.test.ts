/** Every troubleshooting path through the real bot, in English (see every-path.suite.ts). */
import { describeEveryPath } from './every-path.suite.js';

describeEveryPath('en');
