/** One-time code rows live in store/codes-repo.ts; this name stays for the callers outside recovery. */
export { deleteUserCodes, type CodePurpose, type CodeRow } from '../../store/codes-repo.js';
