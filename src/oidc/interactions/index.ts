// Placeholder seam, owned and replaced by the OIDC hosted sign-in work: the interaction routes
// (sign-in, second factor, consent) that the provider's `interactions.url` points at.
export {};
