// Generated from Gatehouse's OpenAPI document by `npm run client:types` (test/client/generate-types.ts). Do not edit.
export interface paths {
    "/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit log
         * @description Newest first; filter by user, actor, kind and time range. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: {
                    actor_id?: string;
                    cursor?: string;
                    /** @description YYYY-MM-DD (UTC day) or an ISO 8601 date-time */
                    from?: string;
                    /** @description an exact kind (`login.failed`) or a family ending in a dot (`admin.`) */
                    kind?: string;
                    /** @description page size, 1 to 1000 (default 50) */
                    limit?: string;
                    /** @description exclusive; a date includes that whole day */
                    to?: string;
                    user_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items?: {
                                actor_id?: number | null;
                                actor_label?: string | null;
                                at?: string;
                                detail?: {
                                    [key: string]: unknown;
                                };
                                id?: number;
                                ip?: string;
                                kind?: string;
                                user_agent?: string;
                                user_id?: number | null;
                                user_label?: string | null;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last */
                            next_cursor?: string | null;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the audit log as CSV or JSON
         * @description The same filters as the list; every matching event, newest first (at most 100,000), streamed as a download. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: {
                    actor_id?: string;
                    format?: "csv" | "json";
                    /** @description YYYY-MM-DD (UTC day) or an ISO 8601 date-time */
                    from?: string;
                    /** @description an exact kind (`login.failed`) or a family ending in a dot (`admin.`) */
                    kind?: string;
                    /** @description exclusive; a date includes that whole day */
                    to?: string;
                    user_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A download (`Content-Disposition: attachment`): CSV with a header row (`format=csv`, the default) or a JSON array of entries (`format=json`) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actor_id?: number | null;
                            actor_label?: string | null;
                            at?: string;
                            detail?: {
                                [key: string]: unknown;
                            };
                            id?: number;
                            ip?: string;
                            kind?: string;
                            user_agent?: string;
                            user_id?: number | null;
                            user_label?: string | null;
                        }[];
                        "text/csv": string;
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/mail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Mail outbox
         * @description Newest first, optionally of one status. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    /** @description page size */
                    limit?: string;
                    status?: "pending" | "retry" | "sent" | "failed";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items?: {
                                attempts?: number;
                                created_at?: string;
                                html_body?: string | null;
                                id?: number;
                                kind?: string;
                                last_error?: string | null;
                                next_attempt_at?: string;
                                sent_at?: string | null;
                                status?: string;
                                subject?: string;
                                /** @description unsent mail only, superusers only (it holds live codes and links) */
                                text_body?: string | null;
                                to?: string;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last */
                            next_cursor?: string | null;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/mail/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One mail
         * @description Bodies of unsent mail are shown to superusers only. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts?: number;
                            created_at?: string;
                            html_body?: string | null;
                            id?: number;
                            kind?: string;
                            last_error?: string | null;
                            next_attempt_at?: string;
                            sent_at?: string | null;
                            status?: string;
                            subject?: string;
                            /** @description unsent mail only, superusers only (it holds live codes and links) */
                            text_body?: string | null;
                            to?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/mail/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue a failed mail again
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts?: number;
                            created_at?: string;
                            html_body?: string | null;
                            id?: number;
                            kind?: string;
                            last_error?: string | null;
                            next_attempt_at?: string;
                            sent_at?: string | null;
                            status?: string;
                            subject?: string;
                            /** @description unsent mail only, superusers only (it holds live codes and links) */
                            text_body?: string | null;
                            to?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/oidc/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * OpenID clients
         * @description Newest first, revoked ones included. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items?: {
                                access_token_ttl?: number | null;
                                /** @description scopes it may ask for with client credentials */
                                api_scopes?: string[];
                                /** @enum {string} */
                                auth_method?: "client_secret_basic" | "client_secret_post" | "none";
                                backchannel_logout_uri?: string | null;
                                client_id?: string;
                                created_at?: string;
                                created_by?: number | null;
                                /** @description the operator's own app: no consent page */
                                first_party?: boolean;
                                grant_types?: ("authorization_code" | "refresh_token" | "client_credentials")[];
                                name?: string;
                                post_logout_redirect_uris?: string[];
                                public?: boolean;
                                redirect_uris?: string[];
                                refresh_token_ttl?: number | null;
                                revoked_at?: string | null;
                                /** @description OpenID scopes the client may ask for */
                                scopes?: string[];
                            }[];
                        };
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Register an OpenID client
         * @description Redirect URIs match exactly. A confidential client's secret is in this answer only: it is stored as a digest. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        access_token_ttl?: number | null;
                        api_scopes?: string[];
                        auth_method?: string;
                        backchannel_logout_uri?: string | null;
                        first_party?: boolean;
                        grant_types: string[];
                        name: string;
                        post_logout_redirect_uris?: string[];
                        public?: boolean;
                        redirect_uris?: string[];
                        refresh_token_ttl?: number | null;
                        scopes?: string[];
                    };
                    "application/x-www-form-urlencoded": {
                        access_token_ttl?: number | null;
                        api_scopes?: string[];
                        auth_method?: string;
                        backchannel_logout_uri?: string | null;
                        first_party?: boolean;
                        grant_types: string[];
                        name: string;
                        post_logout_redirect_uris?: string[];
                        public?: boolean;
                        redirect_uris?: string[];
                        refresh_token_ttl?: number | null;
                        scopes?: string[];
                    };
                    "multipart/form-data": {
                        access_token_ttl?: number | null;
                        api_scopes?: string[];
                        auth_method?: string;
                        backchannel_logout_uri?: string | null;
                        first_party?: boolean;
                        grant_types: string[];
                        name: string;
                        post_logout_redirect_uris?: string[];
                        public?: boolean;
                        redirect_uris?: string[];
                        refresh_token_ttl?: number | null;
                        scopes?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            client?: {
                                access_token_ttl?: number | null;
                                /** @description scopes it may ask for with client credentials */
                                api_scopes?: string[];
                                /** @enum {string} */
                                auth_method?: "client_secret_basic" | "client_secret_post" | "none";
                                backchannel_logout_uri?: string | null;
                                client_id?: string;
                                created_at?: string;
                                created_by?: number | null;
                                /** @description the operator's own app: no consent page */
                                first_party?: boolean;
                                grant_types?: ("authorization_code" | "refresh_token" | "client_credentials")[];
                                name?: string;
                                post_logout_redirect_uris?: string[];
                                public?: boolean;
                                redirect_uris?: string[];
                                refresh_token_ttl?: number | null;
                                revoked_at?: string | null;
                                /** @description OpenID scopes the client may ask for */
                                scopes?: string[];
                            };
                            client_id?: string;
                            /** @description shown this once; null for a public client */
                            client_secret?: string | null;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/oidc/clients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One OpenID client
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token_ttl?: number | null;
                            /** @description scopes it may ask for with client credentials */
                            api_scopes?: string[];
                            /** @enum {string} */
                            auth_method?: "client_secret_basic" | "client_secret_post" | "none";
                            backchannel_logout_uri?: string | null;
                            client_id?: string;
                            created_at?: string;
                            created_by?: number | null;
                            /** @description the operator's own app: no consent page */
                            first_party?: boolean;
                            grant_types?: ("authorization_code" | "refresh_token" | "client_credentials")[];
                            name?: string;
                            post_logout_redirect_uris?: string[];
                            public?: boolean;
                            redirect_uris?: string[];
                            refresh_token_ttl?: number | null;
                            revoked_at?: string | null;
                            /** @description OpenID scopes the client may ask for */
                            scopes?: string[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Revoke an OpenID client
         * @description It can no longer authenticate; its grants and tokens are deleted. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token_ttl?: number | null;
                            /** @description scopes it may ask for with client credentials */
                            api_scopes?: string[];
                            /** @enum {string} */
                            auth_method?: "client_secret_basic" | "client_secret_post" | "none";
                            backchannel_logout_uri?: string | null;
                            client_id?: string;
                            created_at?: string;
                            created_by?: number | null;
                            /** @description the operator's own app: no consent page */
                            first_party?: boolean;
                            grant_types?: ("authorization_code" | "refresh_token" | "client_credentials")[];
                            name?: string;
                            post_logout_redirect_uris?: string[];
                            public?: boolean;
                            redirect_uris?: string[];
                            refresh_token_ttl?: number | null;
                            revoked_at?: string | null;
                            /** @description OpenID scopes the client may ask for */
                            scopes?: string[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Counts and activity per day
         * @description Sign-ups, logins and failed logins per UTC day for the last `days` days (default 14, at most 90). Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: {
                    days?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active_sessions?: number;
                            /** @description the counts that stopped at 10,000 (`users.locked`, `active_sessions`, `failed_logins_24h`, `mail.<status>`): more than that many; the other account counts are exact */
                            capped?: string[];
                            failed_logins_24h?: number;
                            failed_logins_per_day?: {
                                count?: number;
                                day?: string;
                            }[];
                            logins_per_day?: {
                                count?: number;
                                day?: string;
                            }[];
                            mail?: {
                                failed?: number;
                                pending?: number;
                                retry?: number;
                                sent?: number;
                            };
                            signups_per_day?: {
                                count?: number;
                                day?: string;
                            }[];
                            users?: {
                                active?: number;
                                inactive?: number;
                                locked?: number;
                                pending_activation?: number;
                                staff?: number;
                                total?: number;
                                unverified?: number;
                            };
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/service-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Service keys
         * @description Newest first, revoked ones included. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items?: {
                                created_at?: string;
                                created_by?: number | null;
                                id?: string;
                                /** @description to the minute */
                                last_used_at?: string | null;
                                name?: string;
                                /** @description the first characters of the key, to tell keys apart */
                                prefix?: string;
                                revoked_at?: string | null;
                            }[];
                        };
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a service key
         * @description A key a resource server reads `/v1/revocations` with, and nothing else. The key is in this answer only: it is stored as a digest. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                    "application/x-www-form-urlencoded": {
                        name: string;
                    };
                    "multipart/form-data": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description shown this once */
                            key?: string;
                            service_key?: {
                                created_at?: string;
                                created_by?: number | null;
                                id?: string;
                                /** @description to the minute */
                                last_used_at?: string | null;
                                name?: string;
                                /** @description the first characters of the key, to tell keys apart */
                                prefix?: string;
                                revoked_at?: string | null;
                            };
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/service-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a service key
         * @description It stops working at once; open feed streams that use it end on every instance. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at?: string;
                            created_by?: number | null;
                            id?: string;
                            /** @description to the minute */
                            last_used_at?: string | null;
                            name?: string;
                            /** @description the first characters of the key, to tell keys apart */
                            prefix?: string;
                            revoked_at?: string | null;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Runtime settings
         * @description Each setting's definition, current value, default (from configuration) and last change. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            default?: number | boolean | string;
                            group?: string;
                            help?: string;
                            key?: string;
                            label?: string;
                            max?: number;
                            min?: number;
                            /** @enum {string} */
                            type?: "int" | "bool" | "enum";
                            updated_at?: string | null;
                            updated_by?: number | null;
                            value?: number | boolean | string;
                            values?: string[];
                        }[];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change runtime settings
         * @description An object of `key: value`. All changes are validated before any is applied; each is audited (who, old → new) and reaches every instance without a restart. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: number | boolean | string;
                    };
                    "application/x-www-form-urlencoded": {
                        [key: string]: number | boolean | string;
                    };
                    "multipart/form-data": {
                        [key: string]: number | boolean | string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            default?: number | boolean | string;
                            group?: string;
                            help?: string;
                            key?: string;
                            label?: string;
                            max?: number;
                            min?: number;
                            /** @enum {string} */
                            type?: "int" | "bool" | "enum";
                            updated_at?: string | null;
                            updated_by?: number | null;
                            value?: number | boolean | string;
                            values?: string[];
                        }[];
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/admin/system": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * System health
         * @description Database dialect and migration level against this build's, Redis, the mail backlog and its oldest due mail, signing-key ages, instances whose readiness probe ran in the last minute, and when the cleanup job last ran on any instance. Times are epoch milliseconds, ages whole seconds. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checked_at?: number;
                            cleanup?: {
                                age_seconds?: number | null;
                                last_run_at?: number | null;
                            };
                            database?: {
                                dialect?: string;
                                migration?: {
                                    at?: number;
                                    current?: boolean;
                                    missing?: string[];
                                    needs?: number;
                                    unknown?: string[];
                                };
                                schema?: string | null;
                                url?: string;
                            };
                            instances?: {
                                seen?: {
                                    age_seconds?: number;
                                    instance?: string;
                                    seen_at?: number;
                                }[];
                                window_seconds?: number;
                            };
                            outbox?: {
                                backlog?: number;
                                capped?: string[];
                                counts?: {
                                    failed?: number;
                                    pending?: number;
                                    retry?: number;
                                    sent?: number;
                                };
                                oldest_due_at?: number | null;
                                oldest_due_seconds?: number | null;
                            };
                            redis?: {
                                configured?: boolean;
                                healthy?: boolean | null;
                            };
                            signing?: {
                                alg?: string;
                                keys?: {
                                    age_seconds?: number;
                                    alg?: string;
                                    created_at?: number;
                                    expires_at?: number | null;
                                    kid?: string;
                                    retired_at?: number | null;
                                    /** @enum {string} */
                                    state?: "signing" | "retired";
                                }[];
                            };
                        };
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Search (words matched against username, email, first and last name; a number also matches the id), filters, sort and cursor pagination. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: {
                    active?: "true" | "false";
                    cursor?: string;
                    /** @description YYYY-MM-DD (UTC day) or an ISO 8601 date-time */
                    joined_from?: string;
                    /** @description a date includes that whole day */
                    joined_to?: string;
                    /** @description page size, 1 to 200 (default 50) */
                    limit?: string;
                    /** @description locked after failed logins */
                    locked?: "true" | "false";
                    order?: "asc" | "desc";
                    /** @description awaiting activation by an administrator */
                    pending?: "true" | "false";
                    q?: string;
                    sort?: "date_joined" | "last_login" | "username" | "email" | "id";
                    staff?: "true" | "false";
                    verified?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items?: {
                                /** @description false while the account awaits activation by an administrator */
                                approved?: boolean;
                                bio?: string;
                                /** Format: date-time */
                                date_joined?: string;
                                date_of_birth?: string | null;
                                email?: string;
                                email_verified?: boolean;
                                failed_logins?: number;
                                first_name?: string;
                                gender?: string;
                                id?: number;
                                is_active?: boolean;
                                is_staff?: boolean;
                                is_superuser?: boolean;
                                /** Format: date-time */
                                last_login?: string | null;
                                last_name?: string;
                                /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                                locale?: string | null;
                                /** @description set while failed logins keep the account locked */
                                locked_until?: string | null;
                                password_changed_at?: string;
                                pending_email?: string | null;
                                phone_number?: string;
                                updated_at?: string;
                                username?: string;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last */
                            next_cursor?: string | null;
                            /** @description users matching, across all pages; exact up to 10,000, and 10,000 when `total_capped` */
                            total?: number;
                            /** @description true when more than `total` users match (the count stops at 10,000) */
                            total_capped?: boolean;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a user
         * @description Same validation and password policy as registration; the account is approved. Staff and superuser flags need a superuser. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        bio?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        email_verified?: boolean;
                        first_name?: string;
                        gender?: string;
                        is_active?: boolean;
                        /** @description superusers only */
                        is_staff?: boolean;
                        /** @description superusers only */
                        is_superuser?: boolean;
                        last_name?: string;
                        password: string;
                        phone_number?: string;
                        username?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        bio?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        email_verified?: boolean;
                        first_name?: string;
                        gender?: string;
                        is_active?: boolean;
                        /** @description superusers only */
                        is_staff?: boolean;
                        /** @description superusers only */
                        is_superuser?: boolean;
                        last_name?: string;
                        password: string;
                        phone_number?: string;
                        username?: string;
                    };
                    "multipart/form-data": {
                        bio?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        email_verified?: boolean;
                        first_name?: string;
                        gender?: string;
                        is_active?: boolean;
                        /** @description superusers only */
                        is_staff?: boolean;
                        /** @description superusers only */
                        is_superuser?: boolean;
                        last_name?: string;
                        password: string;
                        phone_number?: string;
                        username?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false while the account awaits activation by an administrator */
                            approved?: boolean;
                            bio?: string;
                            /** Format: date-time */
                            date_joined?: string;
                            date_of_birth?: string | null;
                            email?: string;
                            email_verified?: boolean;
                            failed_logins?: number;
                            first_name?: string;
                            gender?: string;
                            id?: number;
                            is_active?: boolean;
                            is_staff?: boolean;
                            is_superuser?: boolean;
                            /** Format: date-time */
                            last_login?: string | null;
                            last_name?: string;
                            /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                            locale?: string | null;
                            /** @description set while failed logins keep the account locked */
                            locked_until?: string | null;
                            password_changed_at?: string;
                            pending_email?: string | null;
                            phone_number?: string;
                            updated_at?: string;
                            username?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a user
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false while the account awaits activation by an administrator */
                            approved?: boolean;
                            bio?: string;
                            /** Format: date-time */
                            date_joined?: string;
                            date_of_birth?: string | null;
                            email?: string;
                            email_verified?: boolean;
                            failed_logins?: number;
                            first_name?: string;
                            gender?: string;
                            id?: number;
                            is_active?: boolean;
                            is_staff?: boolean;
                            is_superuser?: boolean;
                            /** Format: date-time */
                            last_login?: string | null;
                            last_name?: string;
                            /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                            locale?: string | null;
                            /** @description set while failed logins keep the account locked */
                            locked_until?: string | null;
                            password_changed_at?: string;
                            pending_email?: string | null;
                            phone_number?: string;
                            updated_at?: string;
                            username?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a user
         * @description Its sessions and tokens end everywhere. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Update a user
         * @description Profile fields and flags. `is_active: false` deactivates (sessions and tokens end at once). Staff and superuser flags, and any change to another staff account, need a superuser. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        bio?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        email_verified?: boolean;
                        first_name?: string;
                        gender?: string;
                        is_active?: boolean;
                        /** @description superusers only */
                        is_staff?: boolean;
                        /** @description superusers only */
                        is_superuser?: boolean;
                        last_name?: string;
                        phone_number?: string;
                        username?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        bio?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        email_verified?: boolean;
                        first_name?: string;
                        gender?: string;
                        is_active?: boolean;
                        /** @description superusers only */
                        is_staff?: boolean;
                        /** @description superusers only */
                        is_superuser?: boolean;
                        last_name?: string;
                        phone_number?: string;
                        username?: string;
                    };
                    "multipart/form-data": {
                        bio?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        email_verified?: boolean;
                        first_name?: string;
                        gender?: string;
                        is_active?: boolean;
                        /** @description superusers only */
                        is_staff?: boolean;
                        /** @description superusers only */
                        is_superuser?: boolean;
                        last_name?: string;
                        phone_number?: string;
                        username?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false while the account awaits activation by an administrator */
                            approved?: boolean;
                            bio?: string;
                            /** Format: date-time */
                            date_joined?: string;
                            date_of_birth?: string | null;
                            email?: string;
                            email_verified?: boolean;
                            failed_logins?: number;
                            first_name?: string;
                            gender?: string;
                            id?: number;
                            is_active?: boolean;
                            is_staff?: boolean;
                            is_superuser?: boolean;
                            /** Format: date-time */
                            last_login?: string | null;
                            last_name?: string;
                            /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                            locale?: string | null;
                            /** @description set while failed logins keep the account locked */
                            locked_until?: string | null;
                            password_changed_at?: string;
                            pending_email?: string | null;
                            phone_number?: string;
                            updated_at?: string;
                            username?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/admin/users/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Activate (approve and enable) a user; the user is told by mail
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false while the account awaits activation by an administrator */
                            approved?: boolean;
                            bio?: string;
                            /** Format: date-time */
                            date_joined?: string;
                            date_of_birth?: string | null;
                            email?: string;
                            email_verified?: boolean;
                            failed_logins?: number;
                            first_name?: string;
                            gender?: string;
                            id?: number;
                            is_active?: boolean;
                            is_staff?: boolean;
                            is_superuser?: boolean;
                            /** Format: date-time */
                            last_login?: string | null;
                            last_name?: string;
                            /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                            locale?: string | null;
                            /** @description set while failed logins keep the account locked */
                            locked_until?: string | null;
                            password_changed_at?: string;
                            pending_email?: string | null;
                            phone_number?: string;
                            updated_at?: string;
                            username?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deactivate a user: sessions and tokens end at once
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false while the account awaits activation by an administrator */
                            approved?: boolean;
                            bio?: string;
                            /** Format: date-time */
                            date_joined?: string;
                            date_of_birth?: string | null;
                            email?: string;
                            email_verified?: boolean;
                            failed_logins?: number;
                            first_name?: string;
                            gender?: string;
                            id?: number;
                            is_active?: boolean;
                            is_staff?: boolean;
                            is_superuser?: boolean;
                            /** Format: date-time */
                            last_login?: string | null;
                            last_name?: string;
                            /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                            locale?: string | null;
                            /** @description set while failed logins keep the account locked */
                            locked_until?: string | null;
                            password_changed_at?: string;
                            pending_email?: string | null;
                            phone_number?: string;
                            updated_at?: string;
                            username?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's second factors
         * @description No secrets: whether TOTP is enrolled and since when, unused recovery codes, passkey names and last use. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description a "require MFA" setting applies to the account */
                            mfa_required?: boolean;
                            passkeys?: {
                                /** Format: date-time */
                                created_at?: string;
                                id?: string;
                                /** Format: date-time */
                                last_used_at?: string | null;
                                name?: string;
                            }[];
                            recovery_codes_left?: number;
                            totp?: {
                                enrolled?: boolean;
                                /** Format: date-time */
                                enrolled_at?: string | null;
                            };
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/mfa/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove every second factor of a user
         * @description For a user who lost their authenticator: TOTP, recovery codes and passkeys are deleted and every session, token and console session of the account ends, in one transaction; audited (admin.mfa_reset) and the user is told by mail. Only a superuser may reset a staff or superuser account. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            passkeys_removed?: number;
                            recovery_codes_removed?: number;
                            totp_removed?: boolean;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set a user's password
         * @description The password policy applies; the user's sessions end and a notice is mailed. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password: string;
                    };
                    "application/x-www-form-urlencoded": {
                        password: string;
                    };
                    "multipart/form-data": {
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail the user a password-reset code and link
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's live sessions
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at?: string;
                            expires_at?: string;
                            id?: string;
                            ip?: string;
                            last_used_at?: string;
                            user_agent?: string;
                        }[];
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * End all of a user's sessions
         * @description Access tokens stop working at once on every instance; the user may log in again. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sessions_revoked?: number;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/sessions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End one of a user's sessions
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Clear a lock from failed logins
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false while the account awaits activation by an administrator */
                            approved?: boolean;
                            bio?: string;
                            /** Format: date-time */
                            date_joined?: string;
                            date_of_birth?: string | null;
                            email?: string;
                            email_verified?: boolean;
                            failed_logins?: number;
                            first_name?: string;
                            gender?: string;
                            id?: number;
                            is_active?: boolean;
                            is_staff?: boolean;
                            is_superuser?: boolean;
                            /** Format: date-time */
                            last_login?: string | null;
                            last_name?: string;
                            /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                            locale?: string | null;
                            /** @description set while failed logins keep the account locked */
                            locked_until?: string | null;
                            password_changed_at?: string;
                            pending_email?: string | null;
                            phone_number?: string;
                            updated_at?: string;
                            username?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/{id}/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark the user's email address verified
         * @description Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false while the account awaits activation by an administrator */
                            approved?: boolean;
                            bio?: string;
                            /** Format: date-time */
                            date_joined?: string;
                            date_of_birth?: string | null;
                            email?: string;
                            email_verified?: boolean;
                            failed_logins?: number;
                            first_name?: string;
                            gender?: string;
                            id?: number;
                            is_active?: boolean;
                            is_staff?: boolean;
                            is_superuser?: boolean;
                            /** Format: date-time */
                            last_login?: string | null;
                            last_name?: string;
                            /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                            locale?: string | null;
                            /** @description set while failed logins keep the account locked */
                            locked_until?: string | null;
                            password_changed_at?: string;
                            pending_email?: string | null;
                            phone_number?: string;
                            updated_at?: string;
                            username?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Activate or deactivate many users
         * @description Each account on its own: the answer lists what happened to each id. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "activate" | "deactivate";
                        ids: number[];
                    };
                    "application/x-www-form-urlencoded": {
                        /** @enum {string} */
                        action: "activate" | "deactivate";
                        ids: number[];
                    };
                    "multipart/form-data": {
                        /** @enum {string} */
                        action: "activate" | "deactivate";
                        ids: number[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results?: {
                                code?: string;
                                id?: number;
                                message?: string;
                                ok?: boolean;
                            }[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export users as CSV or JSON
         * @description The list's filters; every matching user in id order, streamed as a download, read 500 at a time (memory stays flat however many there are). CSV cells starting with `=`, `+`, `-` or `@` get a leading `'` so spreadsheets show them as text. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: {
                    active?: "true" | "false";
                    format?: "csv" | "json";
                    /** @description YYYY-MM-DD (UTC day) or an ISO 8601 date-time */
                    joined_from?: string;
                    /** @description YYYY-MM-DD (UTC day) or an ISO 8601 date-time */
                    joined_to?: string;
                    locked?: "true" | "false";
                    pending?: "true" | "false";
                    q?: string;
                    staff?: "true" | "false";
                    verified?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A download (`Content-Disposition: attachment`): CSV with a header row (`format=csv`, the default) or a JSON array of users (`format=json`) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false while the account awaits activation by an administrator */
                            approved?: boolean;
                            bio?: string;
                            /** Format: date-time */
                            date_joined?: string;
                            date_of_birth?: string | null;
                            email?: string;
                            email_verified?: boolean;
                            failed_logins?: number;
                            first_name?: string;
                            gender?: string;
                            id?: number;
                            is_active?: boolean;
                            is_staff?: boolean;
                            is_superuser?: boolean;
                            /** Format: date-time */
                            last_login?: string | null;
                            last_name?: string;
                            /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                            locale?: string | null;
                            /** @description set while failed logins keep the account locked */
                            locked_until?: string | null;
                            password_changed_at?: string;
                            pending_email?: string | null;
                            phone_number?: string;
                            updated_at?: string;
                            username?: string;
                        }[];
                        "text/csv": string;
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/users/invite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Invite a user by email
         * @description Creates an approved, active account with no password anyone knows and mails the address a set-password link (it lives the `invite_ttl` setting; following it sets the first password and marks the address verified). The same validation and uniqueness as creating a user; `is_staff` needs a superuser. Staff and superusers: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        first_name?: string;
                        /** @description superusers only */
                        is_staff?: boolean;
                        last_name?: string;
                        username?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        email: string;
                        first_name?: string;
                        /** @description superusers only */
                        is_staff?: boolean;
                        last_name?: string;
                        username?: string;
                    };
                    "multipart/form-data": {
                        email: string;
                        first_name?: string;
                        /** @description superusers only */
                        is_staff?: boolean;
                        last_name?: string;
                        username?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ms since the epoch */
                            invitation_expires_at?: number;
                            user?: {
                                /** @description false while the account awaits activation by an administrator */
                                approved?: boolean;
                                bio?: string;
                                /** Format: date-time */
                                date_joined?: string;
                                date_of_birth?: string | null;
                                email?: string;
                                email_verified?: boolean;
                                failed_logins?: number;
                                first_name?: string;
                                gender?: string;
                                id?: number;
                                is_active?: boolean;
                                is_staff?: boolean;
                                is_superuser?: boolean;
                                /** Format: date-time */
                                last_login?: string | null;
                                last_name?: string;
                                /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
                                locale?: string | null;
                                /** @description set while failed logins keep the account locked */
                                locked_until?: string | null;
                                password_changed_at?: string;
                                pending_email?: string | null;
                                phone_number?: string;
                                updated_at?: string;
                                username?: string;
                            };
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/webhook-deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deliveries of every endpoint
         * @description `status=failed` lists the dead letters. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: {
                    before?: string;
                    status?: "pending" | "delivered" | "failed";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items?: {
                                attempts?: number;
                                created_at?: string;
                                delivered_at?: string | null;
                                endpoint_id?: string;
                                /** @description the `webhook-id` header: the same on every attempt */
                                event_id?: string;
                                event_type?: string;
                                id?: number;
                                last_error?: string | null;
                                next_attempt_at?: string;
                                /** @description the first 256 bytes of the last answer */
                                response_excerpt?: string | null;
                                response_status?: number | null;
                                /** @enum {string} */
                                status?: "pending" | "delivered" | "failed";
                                user_id?: number | null;
                            }[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/webhook-deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a dead letter
         * @description Queues a dead-lettered delivery again with a fresh attempt budget. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts?: number;
                            created_at?: string;
                            delivered_at?: string | null;
                            endpoint_id?: string;
                            /** @description the `webhook-id` header: the same on every attempt */
                            event_id?: string;
                            event_type?: string;
                            id?: number;
                            last_error?: string | null;
                            next_attempt_at?: string;
                            /** @description the first 256 bytes of the last answer */
                            response_excerpt?: string | null;
                            response_status?: number | null;
                            /** @enum {string} */
                            status?: "pending" | "delivered" | "failed";
                            user_id?: number | null;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Webhook endpoints
         * @description Newest first. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items?: {
                                created_at?: string;
                                created_by?: number | null;
                                description?: string;
                                enabled?: boolean;
                                events?: ("*" | "user.created" | "user.updated" | "user.deleted" | "user.deactivated" | "password.changed" | "session.revoked" | "mfa.changed")[];
                                id?: string;
                                /** @description until when the secret before the last rotation also signs */
                                previous_secret_until?: string | null;
                                updated_at?: string;
                                url?: string;
                            }[];
                        };
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a webhook endpoint
         * @description Signed events (Standard Webhooks) go to `url` (http or https; private and loopback addresses refused unless GATEHOUSE_WEBHOOK_ALLOW_PRIVATE=1). The signing secret is in this answer only. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        enabled?: boolean;
                        /** @description `["*"]` or some of the event types */
                        events: string[];
                        url: string;
                    };
                    "application/x-www-form-urlencoded": {
                        description?: string;
                        enabled?: boolean;
                        /** @description `["*"]` or some of the event types */
                        events: string[];
                        url: string;
                    };
                    "multipart/form-data": {
                        description?: string;
                        enabled?: boolean;
                        /** @description `["*"]` or some of the event types */
                        events: string[];
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint?: {
                                created_at?: string;
                                created_by?: number | null;
                                description?: string;
                                enabled?: boolean;
                                events?: ("*" | "user.created" | "user.updated" | "user.deleted" | "user.deactivated" | "password.changed" | "session.revoked" | "mfa.changed")[];
                                id?: string;
                                /** @description until when the secret before the last rotation also signs */
                                previous_secret_until?: string | null;
                                updated_at?: string;
                                url?: string;
                            };
                            /** @description the signing secret (`whsec_…`), shown this once */
                            secret?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A webhook endpoint
         * @description Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at?: string;
                            created_by?: number | null;
                            description?: string;
                            enabled?: boolean;
                            events?: ("*" | "user.created" | "user.updated" | "user.deleted" | "user.deactivated" | "password.changed" | "session.revoked" | "mfa.changed")[];
                            id?: string;
                            /** @description until when the secret before the last rotation also signs */
                            previous_secret_until?: string | null;
                            updated_at?: string;
                            url?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description With its queued and recorded deliveries. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a webhook endpoint
         * @description URL, events, description, enabled. Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        enabled?: boolean;
                        /** @description `["*"]` or some of the event types */
                        events?: string[];
                        url?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        description?: string;
                        enabled?: boolean;
                        /** @description `["*"]` or some of the event types */
                        events?: string[];
                        url?: string;
                    };
                    "multipart/form-data": {
                        description?: string;
                        enabled?: boolean;
                        /** @description `["*"]` or some of the event types */
                        events?: string[];
                        url?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at?: string;
                            created_by?: number | null;
                            description?: string;
                            enabled?: boolean;
                            events?: ("*" | "user.created" | "user.updated" | "user.deleted" | "user.deactivated" | "password.changed" | "session.revoked" | "mfa.changed")[];
                            id?: string;
                            /** @description until when the secret before the last rotation also signs */
                            previous_secret_until?: string | null;
                            updated_at?: string;
                            url?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/admin/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An endpoint's deliveries
         * @description Newest first, 50 a page (`before`: the last id seen). Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        get: {
            parameters: {
                query?: {
                    before?: string;
                    status?: "pending" | "delivered" | "failed";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items?: {
                                attempts?: number;
                                created_at?: string;
                                delivered_at?: string | null;
                                endpoint_id?: string;
                                /** @description the `webhook-id` header: the same on every attempt */
                                event_id?: string;
                                event_type?: string;
                                id?: number;
                                last_error?: string | null;
                                next_attempt_at?: string;
                                /** @description the first 256 bytes of the last answer */
                                response_excerpt?: string | null;
                                response_status?: number | null;
                                /** @enum {string} */
                                status?: "pending" | "delivered" | "failed";
                                user_id?: number | null;
                            }[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description A new secret, shown once; the old one also signs for 24 hours (two signatures in `webhook-signature`). Superusers only: a Bearer access token, or the web console's session cookie (with `X-CSRF-Token` on changes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint?: {
                                created_at?: string;
                                created_by?: number | null;
                                description?: string;
                                enabled?: boolean;
                                events?: ("*" | "user.created" | "user.updated" | "user.deleted" | "user.deactivated" | "password.changed" | "session.revoked" | "mfa.changed")[];
                                id?: string;
                                /** @description until when the secret before the last rotation also signs */
                                previous_secret_until?: string | null;
                                updated_at?: string;
                                url?: string;
                            };
                            /** @description the signing secret (`whsec_…`), shown this once */
                            secret?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in with email or username and password
         * @description A successful login returns a `device_token` (and sets it as the HttpOnly `gh_device` cookie, sent only to this route). Presenting it again (`device_token` field or the cookie) lets this client log in to the same account while the account is locked or its per-account budget is spent by others; per-IP limits still apply. A token that is unknown, expired or another account's is ignored.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        device_token?: string;
                        login: string;
                        password: string;
                    };
                    "application/x-www-form-urlencoded": {
                        device_token?: string;
                        login: string;
                        password: string;
                    };
                    "multipart/form-data": {
                        device_token?: string;
                        login: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token?: string;
                            device_token?: string;
                            expires_in?: number;
                            /**
                             * Format: date-time
                             * @description Present while the account is in its enrolment grace: a "require MFA" setting applies to it and it has no second factor. Past this time a password login only gets an enrolment-only session (403 mfa_enrolment_required with an enrolment_token).
                             */
                            mfa_enrolment_required_by?: string;
                            refresh_token?: string;
                            token_type?: string;
                            user?: components["schemas"]["PublicUser"];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the current session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End every session of this account */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sessions_revoked?: number;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/mfa/passkey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish a login with a passkey as second factor
         * @description The `mfa_token` and the assertion for a challenge of `POST /v1/auth/mfa/passkey/options` for that same token. Answers like `POST /v1/auth/mfa/verify` (the access token's `amr`: `pwd`, the passkey's `hwk` or `swk`, `user` when the authenticator verified the user, `mfa`). A refused assertion (another account's passkey, a challenge of another token or of a passwordless sign-in, a used challenge, a bad signature) spends one of the token's attempts and counts toward the account lock (`invalid_mfa_code`); an unknown, expired, used or exhausted token is `mfa_token_invalid`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        mfa_token: string;
                        /** @description The assertion as `@simplewebauthn/browser` `startAuthentication()` (or `PublicKeyCredential.toJSON()`) returns it */
                        response: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                authenticatorData: string;
                                clientDataJSON: string;
                                signature: string;
                                userHandle?: string;
                            };
                            /** @enum {string} */
                            type: "public-key";
                        };
                    };
                    "application/x-www-form-urlencoded": {
                        mfa_token: string;
                        /** @description The assertion as `@simplewebauthn/browser` `startAuthentication()` (or `PublicKeyCredential.toJSON()`) returns it */
                        response: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                authenticatorData: string;
                                clientDataJSON: string;
                                signature: string;
                                userHandle?: string;
                            };
                            /** @enum {string} */
                            type: "public-key";
                        };
                    };
                    "multipart/form-data": {
                        mfa_token: string;
                        /** @description The assertion as `@simplewebauthn/browser` `startAuthentication()` (or `PublicKeyCredential.toJSON()`) returns it */
                        response: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                authenticatorData: string;
                                clientDataJSON: string;
                                signature: string;
                                userHandle?: string;
                            };
                            /** @enum {string} */
                            type: "public-key";
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token?: string;
                            device_token?: string;
                            expires_in?: number;
                            refresh_token?: string;
                            token_type?: string;
                            user?: components["schemas"]["PublicUser"];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/mfa/passkey/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a passkey second factor: request options
         * @description For the `mfa_token` of a `mfa_required` login whose `factors` include `passkey`: WebAuthn request options listing only that account's passkeys (`allowCredentials`), with a single-use challenge bound to this token that expires in 5 minutes. Hand them to `startAuthentication({ optionsJSON })` and send its result to `POST /v1/auth/mfa/passkey`. Each call spends the per-IP login budget. An unknown, expired, used or exhausted token, or one whose account has no passkey, is `mfa_token_invalid`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        mfa_token: string;
                    };
                    "application/x-www-form-urlencoded": {
                        mfa_token: string;
                    };
                    "multipart/form-data": {
                        mfa_token: string;
                    };
                };
            };
            responses: {
                /** @description PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3): pass it to `startAuthentication({ optionsJSON })` or `PublicKeyCredential.parseRequestOptionsFromJSON` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowCredentials?: {
                                id?: string;
                                transports?: string[];
                                type?: string;
                            }[];
                            challenge?: string;
                            extensions?: {
                                [key: string]: unknown;
                            };
                            hints?: string[];
                            rpId?: string;
                            timeout?: number;
                            userVerification?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/mfa/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish a login with a second factor
         * @description Send the `mfa_token` of a `mfa_required` login answer with exactly one of `code` (the authenticator app's 6 digits) or `recovery_code`. Answers like a successful login. A wrong code spends one of the token's attempts and counts toward the account lock (`invalid_mfa_code`); an unknown, expired, used or exhausted token is `mfa_token_invalid`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code?: string;
                        mfa_token: string;
                        recovery_code?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        code?: string;
                        mfa_token: string;
                        recovery_code?: string;
                    };
                    "multipart/form-data": {
                        code?: string;
                        mfa_token: string;
                        recovery_code?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token?: string;
                            device_token?: string;
                            expires_in?: number;
                            refresh_token?: string;
                            token_type?: string;
                            user?: components["schemas"]["PublicUser"];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/passkey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with a passkey
         * @description The assertion for a challenge of `POST /v1/auth/passkey/options`, with user verification: a whole login by itself (the access token's `amr` says `hwk` or `swk`, `user`, `mfa`). Unknown passkeys, used challenges, bad signatures and a signature counter that did not move forward all answer the same 401.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The assertion as `@simplewebauthn/browser` `startAuthentication()` (or `PublicKeyCredential.toJSON()`) returns it */
                        response: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                authenticatorData: string;
                                clientDataJSON: string;
                                signature: string;
                                userHandle?: string;
                            };
                            /** @enum {string} */
                            type: "public-key";
                        };
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description The assertion as `@simplewebauthn/browser` `startAuthentication()` (or `PublicKeyCredential.toJSON()`) returns it */
                        response: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                authenticatorData: string;
                                clientDataJSON: string;
                                signature: string;
                                userHandle?: string;
                            };
                            /** @enum {string} */
                            type: "public-key";
                        };
                    };
                    "multipart/form-data": {
                        /** @description The assertion as `@simplewebauthn/browser` `startAuthentication()` (or `PublicKeyCredential.toJSON()`) returns it */
                        response: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                authenticatorData: string;
                                clientDataJSON: string;
                                signature: string;
                                userHandle?: string;
                            };
                            /** @enum {string} */
                            type: "public-key";
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token?: string;
                            expires_in?: number;
                            refresh_token?: string;
                            token_type?: string;
                            user?: components["schemas"]["PublicUser"];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/passkey/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a passwordless sign-in: request options
         * @description No account is named: the browser offers the discoverable passkeys it holds for this site. The challenge is single-use and expires in 5 minutes; each call spends the per-IP login budget.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3): pass it to `startAuthentication({ optionsJSON })` or `PublicKeyCredential.parseRequestOptionsFromJSON` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowCredentials?: {
                                id?: string;
                                transports?: string[];
                                type?: string;
                            }[];
                            challenge?: string;
                            extensions?: {
                                [key: string]: unknown;
                            };
                            hints?: string[];
                            rpId?: string;
                            timeout?: number;
                            userVerification?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a password-reset mail
         * @description Always 202 with the same body, whether or not an account uses the address. An active account is mailed a one-time code and a link; `request_id` names the request for the code check (a decoy when no mail was sent). A new request supersedes earlier ones.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                    };
                    "application/x-www-form-urlencoded": {
                        email: string;
                    };
                    "multipart/form-data": {
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail?: string;
                            request_id?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password
         * @description With `reset_token` (the token in the mailed link) or `grant` (from /verify). Every session, API token and pending code of the account ends, a lock from failed logins is lifted, and a notice is mailed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        grant?: string;
                        new_password: string;
                        reset_token?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        grant?: string;
                        new_password: string;
                        reset_token?: string;
                    };
                    "multipart/form-data": {
                        grant?: string;
                        new_password: string;
                        reset_token?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/password/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check the mailed code; get a reset grant
         * @description Name the request by `request_id` (from /forgot) or by `email`. A wrong code spends one attempt (`otp_max_attempts`); after the last, even the right code fails (`otp_attempts_exceeded`). Success spends the code and returns a single-use grant for /reset.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email?: string;
                        otp: string;
                        request_id?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        email?: string;
                        otp: string;
                        request_id?: string;
                    };
                    "multipart/form-data": {
                        email?: string;
                        otp: string;
                        request_id?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            expires_in?: number;
                            grant?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a refresh token
         * @description The presented refresh token dies and a new pair is returned. Presenting a rotated token again (after a short grace window) ends the whole session.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refresh_token: string;
                    };
                    "application/x-www-form-urlencoded": {
                        refresh_token: string;
                    };
                    "multipart/form-data": {
                        refresh_token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TokenPair"];
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account
         * @description A username and/or an email (per GATEHOUSE_REGISTRATION_IDENTITY) and a password. Returns the user and, when the account may log in at once, a token pair.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        bio?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        first_name?: string;
                        gender?: string;
                        last_name?: string;
                        password: string;
                        phone_number?: string;
                        username?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        bio?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        first_name?: string;
                        gender?: string;
                        last_name?: string;
                        password: string;
                        phone_number?: string;
                        username?: string;
                    };
                    "multipart/form-data": {
                        bio?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        first_name?: string;
                        gender?: string;
                        last_name?: string;
                        password: string;
                        phone_number?: string;
                        username?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token?: string;
                            activation_required?: string;
                            expires_in?: number;
                            refresh_token?: string;
                            token_type?: string;
                            user?: components["schemas"]["PublicUser"];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/verify-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm an email address
         * @description With `token` (from the mailed link) or `email` and `code`. Confirms the account's address, or makes a pending new address (from PATCH /v1/me) the account's address. `activation_required` names what still keeps the account from logging in (e.g. `account_not_approved`), or is null.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        code?: string;
                        email?: string;
                        token?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        code?: string;
                        email?: string;
                        token?: string;
                    };
                    "multipart/form-data": {
                        code?: string;
                        email?: string;
                        token?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            activation_required?: string | null;
                            detail?: string;
                            email?: string;
                            email_verified?: boolean;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/verify-email/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the verification mail again
         * @description Always 202 with the same body. A new code supersedes the previous one.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                    };
                    "application/x-www-form-urlencoded": {
                        email: string;
                    };
                    "multipart/form-data": {
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your profile */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PublicUser"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete your account
         * @description Needs `password` and a session. Step-up: an account with a second factor also needs a fresh one, either this session signed in with it within `mfa_step_up_window` seconds (600 by default) or `code` (a current authenticator-app code or an unused recovery code); otherwise 403 `step_up_required`, with `factors` naming what `code` may be. A passkey-only account signs in again with its passkey.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        password: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        password: string;
                    };
                    "multipart/form-data": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Update your profile
         * @description Username and email stay unique. A new email is verified before it replaces the old one. Changing the email or username needs `current_password` and a session; an API token may not do it (403). Step-up: an account with a second factor also needs a fresh one, either this session signed in with it within `mfa_step_up_window` seconds (600 by default) or `code` (a current authenticator-app code or an unused recovery code); otherwise 403 `step_up_required`, with `factors` naming what `code` may be. A passkey-only account signs in again with its passkey.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        bio?: string;
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        first_name?: string;
                        gender?: string;
                        last_name?: string;
                        /** @description the language of your mail and hosted pages: en, fr, or null for the default */
                        locale?: string | null;
                        phone_number?: string;
                        username?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        bio?: string;
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        first_name?: string;
                        gender?: string;
                        last_name?: string;
                        /** @description the language of your mail and hosted pages: en, fr, or null for the default */
                        locale?: string | null;
                        phone_number?: string;
                        username?: string;
                    };
                    "multipart/form-data": {
                        bio?: string;
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password?: string;
                        /** @description YYYY-MM-DD */
                        date_of_birth?: string | null;
                        email?: string;
                        first_name?: string;
                        gender?: string;
                        last_name?: string;
                        /** @description the language of your mail and hosted pages: en, fr, or null for the default */
                        locale?: string | null;
                        phone_number?: string;
                        username?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PublicUser"];
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/me/api-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your API tokens (keys are never shown again) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at?: string;
                            expires_at?: string | null;
                            id?: string;
                            last_used_at?: string | null;
                            name?: string;
                            prefix?: string;
                        }[];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an API token
         * @description Use it as `Authorization: Token <key>`. The key is in this response only; it is stored hashed. Needs `current_password` and a session; an API token cannot create another (403). Step-up: an account with a second factor also needs a fresh one, either this session signed in with it within `mfa_step_up_window` seconds (600 by default) or `code` (a current authenticator-app code or an unused recovery code); otherwise 403 `step_up_required`, with `factors` naming what `code` may be. A passkey-only account signs in again with its passkey.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password?: string;
                        expires_in_days?: number | null;
                        name?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password?: string;
                        expires_in_days?: number | null;
                        name?: string;
                    };
                    "multipart/form-data": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password?: string;
                        expires_in_days?: number | null;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at?: string;
                            expires_at?: string | null;
                            id?: string;
                            key?: string;
                            last_used_at?: string | null;
                            name?: string;
                            prefix?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** Delete all your API tokens */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deleted?: number;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/api-tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an API token */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/avatar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload your avatar
         * @description multipart/form-data with an `avatar` file (PNG, JPEG, GIF or WebP; the type is read from the bytes).
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PublicUser"];
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        /** Remove your avatar */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your dashboard */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            account_age_days?: number;
                            active_sessions?: number;
                            date_joined?: string;
                            greeting?: string;
                            last_login?: string | null;
                            name?: string;
                            recent_security_events?: {
                                at?: string;
                                ip?: string;
                                kind?: string;
                                user_agent?: string;
                            }[];
                        };
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your second factors
         * @description Any credential of the account may read it, and so may an enrolment-only token.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description as `GET /v1/me/passkeys` lists them */
                            passkeys?: {
                                /** @description the authenticator model (all zeros when the authenticator does not say) */
                                aaguid?: string;
                                backed_up?: boolean;
                                /** Format: date-time */
                                created_at?: string;
                                /**
                                 * @description `multiDevice`: a synced passkey; `singleDevice`: bound to one authenticator
                                 * @enum {string}
                                 */
                                device_type?: "singleDevice" | "multiDevice";
                                id?: string;
                                /** Format: date-time */
                                last_used_at?: string | null;
                                name?: string;
                                transports?: string[];
                            }[];
                            /** @description unused recovery codes */
                            recovery_codes_left?: number;
                            /** @description an authenticator app is enrolled and confirmed */
                            totp?: boolean;
                        };
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace your recovery codes
         * @description Needs a session and `current_password` or a current `code` of the app (either proves the person at the keyboard). Ten new codes replace the whole set, shown this once. Audited; the account is mailed. No app enrolled: 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the 6 digits the authenticator app shows (spaces allowed) */
                        code?: string;
                        current_password?: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description the 6 digits the authenticator app shows (spaces allowed) */
                        code?: string;
                        current_password?: string;
                    };
                    "multipart/form-data": {
                        /** @description the 6 digits the authenticator app shows (spaces allowed) */
                        code?: string;
                        current_password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ten single-use codes (`xxxx-xxxx-xxxx`), shown this once; any earlier set stops working */
                            recovery_codes?: string[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start adding an authenticator app
         * @description Needs a session (an API token gets 403; an enrolment-only token may) and `current_password`. A new secret waits for its first code (`POST /v1/me/mfa/totp/confirm`), replacing one that never got it; an account with a confirmed app gets 409 (remove it first).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        current_password: string;
                    };
                    "application/x-www-form-urlencoded": {
                        current_password: string;
                    };
                    "multipart/form-data": {
                        current_password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the `otpauth://totp/…` URI the QR code holds (SHA-1, 6 digits, 30 s) */
                            otpauth_uri?: string;
                            /** @description the URI as a QR code, an SVG document drawn by the server (nothing is fetched from elsewhere) */
                            qr_svg?: string;
                            /** @description the base-32 secret, for typing into an app by hand; shown this once */
                            secret?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /**
         * Remove the authenticator app
         * @description Needs a session, `current_password` and a current `code` of the app: a stolen access token alone cannot remove it. The recovery codes go with it. Audited; the account is mailed. No app enrolled: 404.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the 6 digits the authenticator app shows (spaces allowed) */
                        code: string;
                        current_password: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description the 6 digits the authenticator app shows (spaces allowed) */
                        code: string;
                        current_password: string;
                    };
                    "multipart/form-data": {
                        /** @description the 6 digits the authenticator app shows (spaces allowed) */
                        code: string;
                        current_password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/mfa/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish adding an authenticator app
         * @description A current `code` of the app proves it holds the secret (its time step is spent). Answers the ten recovery codes, shown this once. From now on a password login asks for the second factor. Audited; the account is mailed. Nothing pending, or already confirmed: 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the 6 digits the authenticator app shows (spaces allowed) */
                        code: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description the 6 digits the authenticator app shows (spaces allowed) */
                        code: string;
                    };
                    "multipart/form-data": {
                        /** @description the 6 digits the authenticator app shows (spaces allowed) */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ten single-use codes (`xxxx-xxxx-xxxx`), shown this once; any earlier set stops working */
                            recovery_codes?: string[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your passkeys
         * @description Any credential of the account may list them (no key material is shown).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the authenticator model (all zeros when the authenticator does not say) */
                            aaguid?: string;
                            backed_up?: boolean;
                            /** Format: date-time */
                            created_at?: string;
                            /**
                             * @description `multiDevice`: a synced passkey; `singleDevice`: bound to one authenticator
                             * @enum {string}
                             */
                            device_type?: "singleDevice" | "multiDevice";
                            id?: string;
                            /** Format: date-time */
                            last_used_at?: string | null;
                            name?: string;
                            transports?: string[];
                        }[];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Finish adding a passkey
         * @description The browser's attestation for the challenge of `POST /v1/me/passkeys/options` (used once, whatever the outcome). The passkey is audited and the account is mailed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        /** @description The attestation as `@simplewebauthn/browser` `startRegistration()` (or `PublicKeyCredential.toJSON()`) returns it */
                        response: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                attestationObject: string;
                                authenticatorData?: string;
                                clientDataJSON: string;
                                publicKey?: string;
                                publicKeyAlgorithm?: number;
                                transports?: string[];
                            };
                            /** @enum {string} */
                            type: "public-key";
                        };
                    };
                    "application/x-www-form-urlencoded": {
                        name?: string;
                        /** @description The attestation as `@simplewebauthn/browser` `startRegistration()` (or `PublicKeyCredential.toJSON()`) returns it */
                        response: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                attestationObject: string;
                                authenticatorData?: string;
                                clientDataJSON: string;
                                publicKey?: string;
                                publicKeyAlgorithm?: number;
                                transports?: string[];
                            };
                            /** @enum {string} */
                            type: "public-key";
                        };
                    };
                    "multipart/form-data": {
                        name?: string;
                        /** @description The attestation as `@simplewebauthn/browser` `startRegistration()` (or `PublicKeyCredential.toJSON()`) returns it */
                        response: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            clientExtensionResults: {
                                [key: string]: unknown;
                            };
                            id: string;
                            rawId: string;
                            response: {
                                attestationObject: string;
                                authenticatorData?: string;
                                clientDataJSON: string;
                                publicKey?: string;
                                publicKeyAlgorithm?: number;
                                transports?: string[];
                            };
                            /** @enum {string} */
                            type: "public-key";
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the authenticator model (all zeros when the authenticator does not say) */
                            aaguid?: string;
                            backed_up?: boolean;
                            /** Format: date-time */
                            created_at?: string;
                            /**
                             * @description `multiDevice`: a synced passkey; `singleDevice`: bound to one authenticator
                             * @enum {string}
                             */
                            device_type?: "singleDevice" | "multiDevice";
                            id?: string;
                            /** Format: date-time */
                            last_used_at?: string | null;
                            name?: string;
                            transports?: string[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/passkeys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a passkey
         * @description Removing a factor needs a session and `current_password` in the body, like adding one. Audited; the account is mailed. Step-up: an account with a second factor also needs a fresh one, either this session signed in with it within `mfa_step_up_window` seconds (600 by default) or `code` (a current authenticator-app code or an unused recovery code); otherwise 403 `step_up_required`, with `factors` naming what `code` may be. A passkey-only account signs in again with its passkey.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password: string;
                    };
                    "multipart/form-data": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Rename a passkey */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                    "application/x-www-form-urlencoded": {
                        name: string;
                    };
                    "multipart/form-data": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the authenticator model (all zeros when the authenticator does not say) */
                            aaguid?: string;
                            backed_up?: boolean;
                            /** Format: date-time */
                            created_at?: string;
                            /**
                             * @description `multiDevice`: a synced passkey; `singleDevice`: bound to one authenticator
                             * @enum {string}
                             */
                            device_type?: "singleDevice" | "multiDevice";
                            id?: string;
                            /** Format: date-time */
                            last_used_at?: string | null;
                            name?: string;
                            transports?: string[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/me/passkeys/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start adding a passkey: creation options
         * @description Adding a passkey adds a lasting way in, so it needs a session (an API token gets 403) and `current_password` (as minting an API token does): a stolen access token alone cannot add one. The options hold a single-use challenge bound to this account that expires in 5 minutes; hand them to `startRegistration({ optionsJSON })` and send its result to `POST /v1/me/passkeys`. Step-up: an account with a second factor also needs a fresh one, either this session signed in with it within `mfa_step_up_window` seconds (600 by default) or `code` (a current authenticator-app code or an unused recovery code); otherwise 403 `step_up_required`, with `factors` naming what `code` may be. A passkey-only account signs in again with its passkey.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password: string;
                    };
                    "multipart/form-data": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        current_password: string;
                    };
                };
            };
            responses: {
                /** @description PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3): pass it to `startRegistration({ optionsJSON })` or `PublicKeyCredential.parseCreationOptionsFromJSON` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attestation?: string;
                            authenticatorSelection?: {
                                authenticatorAttachment?: string;
                                requireResidentKey?: boolean;
                                residentKey?: string;
                                userVerification?: string;
                            };
                            challenge?: string;
                            excludeCredentials?: {
                                id?: string;
                                transports?: string[];
                                type?: string;
                            }[];
                            extensions?: {
                                [key: string]: unknown;
                            };
                            hints?: string[];
                            pubKeyCredParams?: {
                                alg?: number;
                                type?: string;
                            }[];
                            rp?: {
                                id?: string;
                                name?: string;
                            };
                            timeout?: number;
                            user?: {
                                displayName?: string;
                                id?: string;
                                name?: string;
                            };
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change your password
         * @description Every other session of the account ends at once; this one stays. Step-up: an account with a second factor also needs a fresh one, either this session signed in with it within `mfa_step_up_window` seconds (600 by default) or `code` (a current authenticator-app code or an unused recovery code); otherwise 403 `step_up_required`, with `factors` naming what `code` may be. A passkey-only account signs in again with its passkey.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        new_password: string;
                        old_password: string;
                    };
                    "application/x-www-form-urlencoded": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        new_password: string;
                        old_password: string;
                    };
                    "multipart/form-data": {
                        /** @description for an account with a second factor, unless this session signed in with one within `mfa_step_up_window` (default 10 min): a current code of the authenticator app or an unused recovery code */
                        code?: string;
                        new_password: string;
                        old_password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many requests; `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your signed-in devices */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at?: string;
                            current?: boolean;
                            expires_at?: string;
                            id?: string;
                            ip?: string;
                            last_used_at?: string;
                            user_agent?: string;
                        }[];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Sign every other device out
         * @description The session making the request stays signed in.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sessions_revoked?: number;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of your signed-in devices */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created_at?: string;
                            current?: boolean;
                            expires_at?: string;
                            id?: string;
                            ip?: string;
                            last_used_at?: string;
                            user_agent?: string;
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Sign a device out */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type: send application/json, application/x-www-form-urlencoded or multipart/form-data */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/revocations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Revoked sessions, a page at a time
         * @description Revoked sessions whose access tokens may still be unexpired, oldest revocation first. Start without `after`; then pass the `cursor` of the last page (keep it between polls). Entries drop out once `not_after` has passed (at most the longest access-token lifetime after the revocation). Readers authenticate with a service key (`Authorization: Bearer gsk_…`, made in the console, the admin API or `gatehouse service-keys create`); no user token is accepted.
         */
        get: {
            parameters: {
                query?: {
                    /** @description the `cursor` of a previous page (or an event id of the stream) */
                    after?: string;
                    /** @description page size, 1 to 1000 (default 500) */
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cursor: string;
                            /** @description another page follows at once */
                            has_more: boolean;
                            revocations: {
                                /** @description epoch ms after which no access token of this session can be valid (drop the entry then) */
                                not_after: number;
                                /** @description epoch ms */
                                revoked_at: number;
                                /** @description the session id (the `sid` claim of its access tokens) */
                                sid: string;
                            }[];
                        };
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/revocations/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Revoked sessions as Server-Sent Events
         * @description First every live entry after `Last-Event-ID` or `after` (from 5 s before that position, so a repeat is possible and harmless), or from the oldest, then an `event: caught-up`, then each revocation as it happens on any instance. Each `event: revocation` has an `id` (a cursor: send it back as `Last-Event-ID` on reconnect) and `data` `{"sid", "revoked_at", "not_after"}`. A comment line every 15 s keeps the connection alive. Readers authenticate with a service key (`Authorization: Bearer gsk_…`, made in the console, the admin API or `gatehouse service-keys create`); no user token is accepted.
         */
        get: {
            parameters: {
                query?: {
                    /** @description the `cursor` of a previous page (or an event id of the stream) */
                    after?: string;
                };
                header?: {
                    /** @description the `cursor` of a previous page (or an event id of the stream) */
                    "last-event-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An event stream that stays open */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not authenticated: no credentials, or credentials that are not (or no longer) valid */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Permission denied */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/avatar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's avatar image
         * @description Public, cacheable, with an ETag (answers 304 to a matching If-None-Match).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The image, in the type read from its bytes when it was uploaded */
                200: {
                    headers: {
                        "cache-control"?: string;
                        etag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "image/gif": string;
                        "image/jpeg": string;
                        "image/png": string;
                        "image/webp": string;
                    };
                };
                /** @description Not modified: `If-None-Match` names the current ETag */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Bad request: a body that cannot be read, invalid fields, or a bad path or query parameter */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Temporarily unavailable; `Retry-After` says when to try again */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description RFC 9457 problem details */
        Problem: {
            code?: string;
            detail?: string;
            /** @description mfa_enrolment_required from a login: a Bearer token only the second-factor enrolment routes accept */
            enrolment_token?: string;
            errors?: {
                [key: string]: string[];
            };
            /** @description Seconds the enrolment_token (or mfa_token) works */
            expires_in?: number;
            /** @description mfa_required: the second factors this account can finish the login with */
            factors?: ("totp" | "recovery_code" | "passkey")[];
            /**
             * Format: date-time
             * @description mfa_enrolment_required: when the enrolment grace ended
             */
            mfa_enrolment_required_by?: string;
            /** @description mfa_required from a login: send it with a second factor to POST /v1/auth/mfa/verify */
            mfa_token?: string;
            status?: number;
            title?: string;
            type?: string;
        };
        PublicUser: {
            avatar_url?: string | null;
            bio?: string;
            /** Format: date-time */
            date_joined?: string;
            date_of_birth?: string | null;
            email?: string;
            email_verified?: boolean;
            first_name?: string;
            gender?: string;
            id?: number;
            is_active?: boolean;
            is_staff?: boolean;
            is_superuser?: boolean;
            /** Format: date-time */
            last_login?: string | null;
            last_name?: string;
            /** @description the language of mail and hosted pages; null: the default (GATEHOUSE_DEFAULT_LOCALE) */
            locale?: string | null;
            pending_email?: string | null;
            phone_number?: string;
            username?: string;
        };
        TokenPair: {
            access_token?: string;
            /** @description seconds until the access token expires */
            expires_in?: number;
            refresh_token?: string;
            token_type?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
