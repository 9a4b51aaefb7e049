import { describe, expect, it } from 'vitest';
import { classify, getClassifier } from '../../src/nlu/index.js';
import { extractNumberAlreadyChanged, extractSlots, findMethods } from '../../src/nlu/slots.js';
import { extractHasBackup } from '../../src/nlu/backup-slot.js';

const prepare = (text: string): string => getClassifier().prepare(text);

describe('change_method slots', () => {
  it.each([
    ['SMSからアプリに変えたい', { from: 'sms', to: 'app' }],
    ['ＳＭＳからあぷりへ', { from: 'sms', to: 'app' }],
    ['アプリから電話に変更したい', { from: 'app', to: 'voice' }],
    ['電話認証からSMSに切り替えたい', { from: 'voice', to: 'sms' }],
    ['SMS認証をやめてアプリにしたい', { from: 'sms', to: 'app' }],
    ['今はSMSだけどアプリにしたい', { from: 'sms', to: 'app' }],
    ['SMSじゃなくてグーグル認証にしたい', { from: 'sms', to: 'app' }],
    ['電話じゃなくてSMSがいい', { from: 'voice', to: 'sms' }],
    ['認証方法をアプリに変更したいです', { to: 'app' }],
    ['SMSの認証を変えたい', { from: 'sms' }],
    ['認証方法を変えたい', {}],
    ['switch to the authenticator app', { to: 'app' }],
    ['switch to authentcator', { to: 'app' }],
    ['change from sms to authenticator app', { from: 'sms', to: 'app' }],
    ['switch from the app to phone call', { from: 'app', to: 'voice' }],
    ["i'd like to move from voice call to sms", { from: 'voice', to: 'sms' }],
    ['stop using sms and use the app instead', { from: 'sms', to: 'app' }],
    ['set my 2fa to phone call instead of app', { from: 'app', to: 'voice' }],
    ['can i go back to sms from the app', { from: 'app', to: 'sms' }],
    ["i'd rather use the app than sms", { from: 'sms', to: 'app' }],
    ['i want to use phone calls instead', { to: 'voice' }],
    ['please put my 2fa on sms', { to: 'sms' }],
    ['sms to app', { from: 'sms', to: 'app' }],
    ["I'm currently using SMS and want the app", { from: 'sms', to: 'app' }],
  ] as const)('%s → %j', (text, expected) => {
    expect(extractSlots(prepare(text), 'change_method')).toEqual(expected);
  });
});

describe('phone_replacement slots', () => {
  it.each([
    ['機種変更で番号も変わる', { numberChanges: true }],
    ['キャリア変えて番号も新しくなります', { numberChanges: true }],
    ['新しい電話番号になります', { numberChanges: true }],
    ['機種変更するけど番号はそのまま', { numberChanges: false }],
    ['番号は変わらないけど機種変更します', { numberChanges: false }],
    ['機種変更しても電話番号は同じです', { numberChanges: false }],
    ['番号変わらへん', { numberChanges: false }],
    ['MNPで乗り換えます', { numberChanges: false }],
    ['new phone same number', { numberChanges: false }],
    ['keeping my number but changing phone', { numberChanges: false }],
    ["my number won't change", { numberChanges: false }],
    ["I'll port my number to the new phone", { numberChanges: false }],
    ['getting a new phone and a new number', { numberChanges: true }],
    ['my number will change', { numberChanges: true }],
    ['new phone, new number', { numberChanges: true }],
    ['機種変更します。SMS認証です', { method: 'sms' }],
    ['電話番号は変わりません、アプリで認証しています', { method: 'app', numberChanges: false }],
    ['i use google authenticator and getting a new phone', { method: 'app' }],
    ['電話番号を変更したい', { numberChanges: true }],
    ['番号を変えないで機種変更', { numberChanges: false }],
    ['機種変更します', {}],
  ] as const)('%s → %j', (text, expected) => {
    expect(extractSlots(prepare(text), 'phone_replacement')).toEqual(expected);
  });
});

describe('method mentions', () => {
  it('does not read 電話番号 or 携帯電話 as the voice method', () => {
    expect(findMethods(prepare('電話番号が変わる'))).toEqual([]);
    expect(findMethods(prepare('携帯電話をなくした'))).toEqual([]);
    expect(findMethods(prepare('電話が来ない')).map((m) => m.method)).toEqual(['voice']);
  });

  it('does not read "application" or "happy" as the app', () => {
    expect(findMethods(prepare('application form, happy'))).toEqual([]);
  });
});

describe('method slot of other intents', () => {
  it('names the method when the message names one, and none when it names two without roles', () => {
    expect(extractSlots(prepare('SMSのコードが違うと言われる'), 'code_rejected')).toEqual({ method: 'sms' });
    expect(extractSlots(prepare('電話もSMSも来ない'), 'sms_not_received')).toEqual({});
    expect(extractSlots(prepare('今はSMSで、電話も登録してる'), 'phone_lost')).toEqual({ method: 'sms' });
  });
});

describe('slots through classify', () => {
  it('fills change_method slots', () => {
    const c = classify('SMSからアプリに変えたい');
    expect(c.intent).toBe('change_method');
    expect(c.slots).toEqual({ from: 'sms', to: 'app' });
  });

  it('fills phone_replacement slots', () => {
    const c = classify('機種変更で番号も変わる');
    expect(c.intent).toBe('phone_replacement');
    expect(c.slots).toEqual({ numberChanges: true });
    const en = classify('getting a new phone, keeping the same number');
    expect(en.intent).toBe('phone_replacement');
    expect(en.slots.numberChanges).toBe(false);
  });

  it('gives no slots to intents without them', () => {
    expect(classify('オペレーターと話したい').slots).toEqual({});
    expect(classify('what is the bitcoin price').slots).toEqual({});
  });
});

describe('numberAlreadyChanged: the number has already changed (past), not a change to come', () => {
  it.each([
    '電話番号がもう変わってしまった',
    '番号は変更済みです',
    'ばんごうかわっちゃった',
    '携帯の番号を変えました',
    'bangou ga mou kawatta',
    'my number has already changed',
    'i changed my phone number last month',
    'i got a new number',
  ])('%s → true', (text) => {
    expect(extractNumberAlreadyChanged(prepare(text))).toBe(true);
  });

  it.each([
    '番号が変わったらどうすればいい',
    '電話番号を変更したい',
    '番号変えたい',
    '番号は変わってないです',
    '電話番号変わったかも',
    'if my number changes what do i do',
    'my number hasnt changed',
    'my number might have changed',
    'my number will change next week',
  ])('%s → not said', (text) => {
    expect(extractNumberAlreadyChanged(prepare(text))).toBeUndefined();
  });

  it('is a slot of the lost-phone and new-phone intents only', () => {
    expect(classify('電話番号がもう変わってしまった').slots).toEqual({ numberAlreadyChanged: true });
    expect(classify('my number has already changed', { locale: 'en' }).slots.numberAlreadyChanged).toBe(true);
  });
});

describe('hasBackup: "no backup" said in the message (issue 14)', () => {
  it.each([
    'バックアップしないでアプリ消しちゃいました',
    'バックアップ取ってない',
    'バックアップもとってなかった',
    'バックアップしていません',
    'バックアップ取らずにアプリを消した',
    'バックアップはない',
    'I deleted the app and I have no backup',
    'never backed it up',
    "I didn't back it up",
    "I don't have a backup",
    'wiped the app without a backup',
  ])('%j: no backup', (text) => {
    expect(extractHasBackup(prepare(text))).toBe(false);
  });

  it.each([
    'バックアップしたけどアプリ消した',
    'バックアップしてないかも',
    'バックアップしてない場合は？',
    'バックアップしないとだめ？',
    'I backed it up',
    'what if I have no backup',
    "not sure if I didn't back it up",
    'backup codes not working',
  ])('%j: nothing sure', (text) => {
    expect(extractHasBackup(prepare(text))).toBeUndefined();
  });

  it('is a slot of the deleted-app, lost-phone and new-phone intents', () => {
    expect(extractSlots(prepare('バックアップしないでアプリ消しちゃいました'), 'app_deleted')).toEqual({ method: 'app', hasBackup: false });
    expect(extractSlots(prepare('lost my phone, no backup'), 'phone_lost')).toEqual({ hasBackup: false });
    expect(extractSlots(prepare('no backup'), 'backup')).toEqual({});
  });
});
