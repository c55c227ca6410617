/**
 * French for the hosted pages, keyed by the English text (gettext style: the English is the
 * msgid, so a missing entry shows English, never a key). Core messages shown on pages (error
 * titles, password-policy messages) are keyed the same way.
 */
export const fr: Readonly<Record<string, string>> = {
  // Reset and verification pages
  'Choose a new password': 'Choisissez un nouveau mot de passe',
  'New password': 'Nouveau mot de passe',
  'Set password': 'Enregistrer le mot de passe',
  'Password changed': 'Mot de passe modifié',
  'Your password has been changed, and every session of your account has ended. You can sign in with the new password.':
    'Votre mot de passe a été modifié et toutes les sessions de votre compte ont été fermées. Vous pouvez vous connecter avec le nouveau mot de passe.',
  'Confirm your email address': 'Confirmez votre adresse e-mail',
  'Confirm my address': 'Confirmer mon adresse',
  'Address confirmed': 'Adresse confirmée',
  '{{email}} is confirmed.': '{{email}} est confirmée.',
  // Error titles (core/errors.ts) a page can show
  'The request has invalid fields': 'La requête contient des champs invalides',
  'The request body could not be read': 'Le contenu de la requête est illisible',
  'Unsupported content type': 'Type de contenu non pris en charge',
  'The request body is too large': 'Le contenu de la requête est trop volumineux',
  'Unable to log in with the provided credentials': 'Impossible de se connecter avec ces identifiants',
  'The account is disabled': 'Le compte est désactivé',
  'The account is awaiting activation by an administrator': 'Le compte attend son activation par un administrateur',
  'The email address has not been verified': 'L’adresse e-mail n’a pas été vérifiée',
  'Too many failed attempts; the account is temporarily locked': 'Trop de tentatives échouées ; le compte est temporairement bloqué',
  'Too many requests': 'Trop de requêtes',
  'The code is invalid': 'Le code est invalide',
  'The code has expired': 'Le code a expiré',
  'Too many wrong codes; request a new one': 'Trop de codes erronés ; demandez-en un nouveau',
  'The reset token is invalid or expired': 'Le lien de réinitialisation est invalide ou a expiré',
  'The verification token is invalid or expired': 'Le lien de vérification est invalide ou a expiré',
  'A backing service is unavailable': 'Un service nécessaire est indisponible',
  'The database refuses writes right now': 'La base de données refuse les écritures pour le moment',
  'Internal server error': 'Erreur interne du serveur',
  // Field messages
  'This field is required.': 'Ce champ est obligatoire.',
  'This password is too common.': 'Ce mot de passe est trop courant.',
  'This password is entirely numeric.': 'Ce mot de passe est entièrement numérique.',
  'The password contains an unpaired surrogate (invalid Unicode).': 'Le mot de passe contient un caractère Unicode invalide.',
  'This password is too short. It must contain at least {{n}} characters.': 'Ce mot de passe est trop court. Il doit contenir au moins {{n}} caractères.',
  'This password is too short. It must contain at least {{n}} character.': 'Ce mot de passe est trop court. Il doit contenir au moins {{n}} caractère.',
  'This password is too long. It may contain at most {{n}} characters.': 'Ce mot de passe est trop long. Il peut contenir au plus {{n}} caractères.',
  'The password is too similar to the {{field}}.': 'Le mot de passe ressemble trop au champ « {{field}} ».',
  username: 'nom d’utilisateur',
  'first name': 'prénom',
  'last name': 'nom',
  'email address': 'adresse e-mail',
};
