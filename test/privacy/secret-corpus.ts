/**
 * Secret-looking customer messages (ja/en). `secrets` are the substrings that must not survive
 * redaction (nor appear in the database file); `kind` is the marker expected.
 */
import type { SecretKind } from '../../src/privacy/redact.js';

export interface SecretSample {
  readonly text: string;
  readonly secrets: readonly string[];
  readonly kind: SecretKind;
}

const SEED_EN_12 = 'hurdle foster skin craft box another sea mix cost gorilla barrel bracket';
const SEED_EN_12B = 'crack provide boring hello fit chair canvas such suit mosquito myself vehicle';
const SEED_EN_24 =
  'indoor bread couple tobacco art record type gym abstract flower foam general fluid crumble void current cart improve own yard song symbol hand acquire';
const SEED_JA_12 = 'おきる　とおす　のばす　ひやす　あいさつ　ねんきん　しうち　しゃっきん　おさない　ぼうぎょ　らいう　やっと';

export const SECRET_CORPUS: readonly SecretSample[] = [
  // One-time codes
  { text: '123456', secrets: ['123456'], kind: 'otp' },
  { text: 'The code is 482913', secrets: ['482913'], kind: 'otp' },
  { text: 'my 2fa code 093 417 does not work', secrets: ['093 417'], kind: 'otp' },
  { text: 'code: 771-204', secrets: ['771-204'], kind: 'otp' },
  { text: 'I typed 55120934 but it failed', secrets: ['55120934'], kind: 'otp' },
  { text: 'Google Authenticator shows 1234 5678 right now', secrets: ['1234 5678'], kind: 'otp' },
  { text: 'コードは１２３４５６です', secrets: ['１２３４５６'], kind: 'otp' },
  { text: '認証コード 839201 を入力しましたがエラーになります', secrets: ['839201'], kind: 'otp' },
  { text: 'SMSで届いた番号は 602 318 でした', secrets: ['602 318'], kind: 'otp' },
  { text: 'ワンタイムパスワード：３０４−９１７', secrets: ['３０４−９１７', '304-917'], kind: 'otp' },
  { text: 'code=918273', secrets: ['918273'], kind: 'otp' },
  { text: '(640213)', secrets: ['640213'], kind: 'otp' },
  { text: 'Is 4412907 the right format? It has 7 digits', secrets: ['4412907'], kind: 'otp' },
  { text: 'tried 228 119 then 338 442 and both were rejected', secrets: ['228 119', '338 442'], kind: 'otp' },
  // TOTP setup keys
  { text: 'my setup key is CL32ZXDRXI6DLAMC', secrets: ['CL32ZXDRXI6DLAMC'], kind: 'totp_key' },
  { text: 'key: m672og74kwn76mxscihle7ejwfr2o4kh', secrets: ['m672og74kwn76mxscihle7ejwfr2o4kh'], kind: 'totp_key' },
  { text: 'The secret shown was DAHS UG2O WQIJ BDUJ GVZJ KXYS ZF', secrets: ['DAHS UG2O WQIJ BDUJ GVZJ KXYS', 'UG2O', 'WQIJ'], kind: 'totp_key' },
  { text: 'utvc n7x6 c5wq 3tc3', secrets: ['utvc n7x6 c5wq 3tc3', 'n7x6', 'c5wq'], kind: 'totp_key' },
  { text: 'セットアップキーはFRSOVK4DZPUQ3XXRPZLF7FR3EZCVNSLJです', secrets: ['FRSOVK4DZPUQ3XXRPZLF7FR3EZCVNSLJ'], kind: 'totp_key' },
  { text: '秘密鍵：ＪＢＳＷＹ３ＤＰＥＨＰＫ３ＰＸＰ', secrets: ['ＪＢＳＷＹ３ＤＰＥＨＰＫ３ＰＸＰ'], kind: 'totp_key' },
  { text: 'JBSW-Y3DP-EHPK-3PXP is what I wrote down', secrets: ['JBSW-Y3DP-EHPK-3PXP', 'Y3DP'], kind: 'totp_key' },
  { text: 'backup text: QWRTPSDFGHJKLZXC', secrets: ['QWRTPSDFGHJKLZXC'], kind: 'totp_key' },
  // otpauth URIs
  {
    text: 'otpauth://totp/Exchange:taro@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Exchange',
    secrets: ['JBSWY3DPEHPK3PXP', 'otpauth://'],
    kind: 'otpauth_uri',
  },
  {
    text: 'QRコードを読み取ったら otpauth://totp/EX?secret=GEZDGNBVGY3TQOJQ&digits=6 と出ました',
    secrets: ['GEZDGNBVGY3TQOJQ', 'otpauth://'],
    kind: 'otpauth_uri',
  },
  {
    text: 'OTPAUTH://TOTP/ACME%3Auser?SECRET=NB2W45DFOIZA&ALGORITHM=SHA1',
    secrets: ['NB2W45DFOIZA', 'OTPAUTH://'],
    kind: 'otpauth_uri',
  },
  { text: 'link: otpauth-migration://offline?data=CjEKCkhlbGxvId', secrets: ['CjEKCkhlbGxvId'], kind: 'otpauth_uri' },
  // Seed phrases
  { text: SEED_EN_12, secrets: [SEED_EN_12, 'gorilla barrel bracket'], kind: 'seed_phrase' },
  { text: `my recovery phrase: ${SEED_EN_12B}. please help`, secrets: ['mosquito myself vehicle', 'boring hello fit'], kind: 'seed_phrase' },
  { text: SEED_EN_24, secrets: ['tobacco art record', 'acquire', 'crumble void'], kind: 'seed_phrase' },
  {
    text: '1. hurdle 2. foster 3. skin 4. craft 5. box 6. another 7. sea 8. mix 9. cost 10. gorilla 11. barrel 12. bracket',
    secrets: ['hurdle', 'gorilla', 'bracket'],
    kind: 'seed_phrase',
  },
  { text: 'Hurdle, Foster, Skin, Craft, Box, Another, Sea, Mix, Cost, Gorilla, Barrel, Bracket', secrets: ['Gorilla', 'Hurdle'], kind: 'seed_phrase' },
  { text: `シードフレーズは ${SEED_JA_12} です`, secrets: ['しゃっきん', 'ぼうぎょ', 'ねんきん'], kind: 'seed_phrase' },
  { text: 'hurdle foster skin craft box another sea mixx cost gorilla barrel bracket', secrets: ['gorilla', 'mixx'], kind: 'seed_phrase' },
  // Labelled passwords
  { text: 'password: Tr0ub4dor&3', secrets: ['Tr0ub4dor&3'], kind: 'password' },
  { text: 'my password is hunter2', secrets: ['hunter2'], kind: 'password' },
  { text: 'My password is sunshine and it used to work', secrets: ['sunshine'], kind: 'password' },
  { text: 'pw xK9#mmq!', secrets: ['xK9#mmq!'], kind: 'password' },
  { text: 'PW: s3cret', secrets: ['s3cret'], kind: 'password' },
  { text: 'password = "correct horse battery staple"', secrets: ['correct horse battery staple', 'horse battery'], kind: 'password' },
  { text: 'パスワードは abcd1234 です', secrets: ['abcd1234'], kind: 'password' },
  { text: 'パスワード：Zq8!pLm2', secrets: ['Zq8!pLm2'], kind: 'password' },
  { text: 'パスワードはTaroYamada1990です。ログインできません', secrets: ['TaroYamada1990'], kind: 'password' },
  { text: 'パスワードが「ねこ ねこ」です', secrets: ['ねこ ねこ'], kind: 'password' },
  { text: '暗証番号は 8812 です', secrets: ['8812'], kind: 'password' },
  { text: 'ﾊﾟｽﾜｰﾄﾞ:Pa55word', secrets: ['Pa55word'], kind: 'password' },
  { text: 'the pw was Qwerty!234 before I changed it', secrets: ['Qwerty!234'], kind: 'password' },
  { text: 'passwd: letmein', secrets: ['letmein'], kind: 'password' },
  { text: 'Password - Blue42sky', secrets: ['Blue42sky'], kind: 'password' },
  { text: 'passwordは Secr3t!です', secrets: ['Secr3t!'], kind: 'password' },
  { text: 'code778812 was rejected', secrets: ['778812'], kind: 'otp' },
];
