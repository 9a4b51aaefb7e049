/** Every troubleshooting path through the real bot, in Japanese (see every-path.suite.ts). */
import { describeEveryPath } from './every-path.suite.js';

describeEveryPath('ja');
