/** The password test accounts sign up with: strong enough for every profile's validators. */
export const testPassword = 'a sturdy passphrase 42';
