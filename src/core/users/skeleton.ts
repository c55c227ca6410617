// The folding rules live with the columns they fill (store/user-keys.ts); core names them here.
export { loginNameColumns, usernameSkeleton } from '../../store/user-keys.js';
