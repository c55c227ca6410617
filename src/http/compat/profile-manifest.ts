/** Defaults a profile sets when enabled; the matching variable, when set, still wins. */
export interface ProfileDefaults {
  /** One of config's ActivationMode values (config.ts checks the assignment). */
  activation?: 'none' | 'email' | 'admin' | 'email+admin';
}

/** A profile's name and defaults, apart from its routes (its own file: manifests and the merge both import it). */
export interface ProfileManifest {
  name: string;
  defaults?: ProfileDefaults;
}
