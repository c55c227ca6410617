/** What a password is checked against besides itself. */
export interface UserAttributes {
  username?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
}

/** One rule, like a Django password validator: its own message, error code and help text. */
export interface PasswordValidator {
  /** Django's ValidationError code (password_too_short, …). */
  readonly code: string;
  readonly helpText: string;
  /** The message when the password breaks the rule, undefined when it does not. */
  validate(password: string, user: UserAttributes): string | undefined;
}
