import type { MailKind } from '../../../core/context.js';
import { htmlLayout } from '../layout.js';
import type { MailTemplate } from '../template.js';

const button = (label: string) =>
  `<p><a href="{{link}}" style="display:inline-block;padding:10px 16px;background:#2456d3;color:#fff;border-radius:6px;text-decoration:none">${label}</a></p>
<p style="font-size:13px;color:#666">Ou collez ce lien : {{link}}</p>`;
const code = '{{#code}}<p>Votre code : <strong style="font-size:20px;letter-spacing:2px">{{code}}</strong></p>{{/code}}';
const fine = (text: string) => `<p style="font-size:13px;color:#666">${text}</p>`;
const fr = (body: string) => htmlLayout(body, 'fr');
const frSentence = '{{#passkey}}Une clé d’accès nommée « {{passkey}} » vient d’être {{/passkey}}{{#totp}}Une application d’authentification vient d’être {{/totp}}{{#added}}ajoutée à{{/added}}{{#removed}}retirée de{{/removed}}{{#all}}Tous les seconds facteurs (application d’authentification, codes de secours et clés d’accès) viennent d’être retirés de{{/all}}{{#recovery_codes}}Un nouveau jeu de codes de secours vient d’être émis pour{{/recovery_codes}}{{#recovery_code_used}}Un code de secours vient d’être utilisé pour se connecter à{{/recovery_code_used}} votre compte {{product}}{{#all}} par un administrateur{{/all}}{{#recovery_code_used}} (il en reste {{left}}){{/recovery_code_used}}.';

/**
 * The built-in mails in French, kind by kind as in English (same variables). A kind missing here
 * is sent in English; test/mail/locales.test.ts fails CI when one is missing.
 */
export const frenchTemplates: Readonly<Partial<Record<MailKind, MailTemplate>>> = {
  password_reset: {
    subject: 'Réinitialisez votre mot de passe {{product}}',
    text: `Bonjour{{#name}} {{name}}{{/name}},

Quelqu’un a demandé à réinitialiser le mot de passe de votre compte {{product}}.
{{#code}}
Votre code : {{code}}
{{/code}}{{#link}}
Ou ouvrez ce lien : {{link}}
{{/link}}{{#minutes}}
Il expire dans {{minutes}} minutes.
{{/minutes}}
Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.
`,
    html: fr(`
<p>Bonjour{{#name}} {{name}}{{/name}},</p>
<p>Quelqu’un a demandé à réinitialiser le mot de passe de votre compte {{product}}.</p>
${code}
{{#link}}${button('Réinitialiser le mot de passe')}{{/link}}
{{#minutes}}<p>Il expire dans {{minutes}} minutes.</p>{{/minutes}}
${fine('Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.')}
`),
  },
  password_changed: {
    subject: 'Votre mot de passe {{product}} a été modifié',
    text: `Bonjour{{#name}} {{name}}{{/name}},

Le mot de passe de votre compte {{product}} vient d’être modifié, et vos autres sessions ont été fermées.

Si ce n’était pas vous, réinitialisez votre mot de passe maintenant et contactez votre administrateur.
`,
    html: fr(`
<p>Bonjour{{#name}} {{name}}{{/name}},</p>
<p>Le mot de passe de votre compte {{product}} vient d’être modifié, et vos autres sessions ont été fermées.</p>
<p>Si ce n’était pas vous, réinitialisez votre mot de passe maintenant et contactez votre administrateur.</p>
`),
  },
  email_verification: {
    subject: 'Confirmez votre adresse e-mail pour {{product}}',
    text: `Bonjour{{#name}} {{name}}{{/name}},

Merci de confirmer que {{to}} est bien votre adresse e-mail pour {{product}}.
{{#code}}
Votre code : {{code}}
{{/code}}{{#link}}
Ou ouvrez ce lien : {{link}}
{{/link}}{{#minutes}}
Il expire dans {{minutes}} minutes.
{{/minutes}}
Si vous ne vous êtes pas inscrit, ignorez ce message.
`,
    html: fr(`
<p>Bonjour{{#name}} {{name}}{{/name}},</p>
<p>Merci de confirmer que {{to}} est bien votre adresse e-mail pour {{product}}.</p>
${code}
{{#link}}${button('Confirmer l’adresse')}{{/link}}
{{#minutes}}<p>Il expire dans {{minutes}} minutes.</p>{{/minutes}}
${fine('Si vous ne vous êtes pas inscrit, ignorez ce message.')}
`),
  },
  email_change_notice: {
    subject: 'L’adresse e-mail de votre compte {{product}} va changer',
    text: `Bonjour{{#name}} {{name}}{{/name}},

Quelqu’un a demandé à changer l’adresse e-mail de votre compte {{product}}{{#newEmail}} pour {{newEmail}}{{/newEmail}}.
Le changement prendra effet une fois la nouvelle adresse confirmée.

Si ce n’était pas vous, changez votre mot de passe maintenant et contactez votre administrateur.
`,
    html: fr(`
<p>Bonjour{{#name}} {{name}}{{/name}},</p>
<p>Quelqu’un a demandé à changer l’adresse e-mail de votre compte {{product}}{{#newEmail}} pour <strong>{{newEmail}}</strong>{{/newEmail}}.
Le changement prendra effet une fois la nouvelle adresse confirmée.</p>
<p>Si ce n’était pas vous, changez votre mot de passe maintenant et contactez votre administrateur.</p>
`),
  },
  account_activated: {
    subject: 'Votre compte {{product}} est actif',
    text: `Bonjour{{#name}} {{name}}{{/name}},

Votre compte {{product}} est maintenant actif. Vous pouvez vous connecter{{#link}} sur {{link}}{{/link}}.
`,
    html: fr(`
<p>Bonjour{{#name}} {{name}}{{/name}},</p>
<p>Votre compte {{product}} est maintenant actif. Vous pouvez vous connecter{{#link}} sur <a href="{{link}}">{{link}}</a>{{/link}}.</p>
`),
  },
  sign_in_method_changed: {
    subject: 'Un moyen de connexion de votre compte {{product}} a changé',
    text: `Bonjour{{#name}} {{name}}{{/name}},

${frSentence}

Si ce n’était pas vous, changez votre mot de passe maintenant, vérifiez les moyens de connexion de votre compte et contactez votre administrateur.
`,
    html: fr(`
<p>Bonjour{{#name}} {{name}}{{/name}},</p>
<p>${frSentence}</p>
<p>Si ce n’était pas vous, changez votre mot de passe maintenant, vérifiez les moyens de connexion de votre compte et contactez votre administrateur.</p>
`),
  },
  invitation: {
    subject: 'Vous êtes invité sur {{product}}',
    text: `Bonjour{{#name}} {{name}}{{/name}},

{{inviter}} a créé un compte {{product}} pour {{to}}.
Choisissez votre mot de passe ici : {{link}}
{{#days}}
Ce lien fonctionne pendant {{days}} jours.
{{/days}}
Si vous ne vous y attendiez pas, ignorez ce message : personne ne peut se connecter au compte tant qu’aucun mot de passe n’est choisi.
`,
    html: fr(`
<p>Bonjour{{#name}} {{name}}{{/name}},</p>
<p>{{inviter}} a créé un compte {{product}} pour {{to}}.</p>
${button('Choisir mon mot de passe')}
{{#days}}<p>Ce lien fonctionne pendant {{days}} jours.</p>{{/days}}
${fine('Si vous ne vous y attendiez pas, ignorez ce message : personne ne peut se connecter au compte tant qu’aucun mot de passe n’est choisi.')}
`),
  },
};
