/**
 * The least environment production accepts (unauthenticated on purpose, so no Entra app is
 * needed): a strong web chat secret and an https public origin. Tests of one production rule
 * start from this and change the key under test.
 */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  ALLOW_UNAUTHENTICATED: 'true',
  DIRECTLINE_SECRET: 'q7Vd2KpX9mRz4TbL8wYc1NfH6sJg3AeU0oPi5Ek',
  PUBLIC_BASE_URL: 'https://chat.example.com',
};
