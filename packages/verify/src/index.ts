// @gatehouse/verify: filled in by the resource-server work (createVerifier, middleware).
export {};
