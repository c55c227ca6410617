"""Client credentials with authlib (Debian's python3-authlib), then checks against the JWKS.

argv: issuer client_id client_secret id_token
Prints one JSON line: the token response, the introspection, and the verified ID token's claims.
"""
import json
import sys
import urllib.request

from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt

issuer, client_id, client_secret, id_token = sys.argv[1:5]
meta = json.load(urllib.request.urlopen(issuer + "/.well-known/openid-configuration"))
session = OAuth2Session(client_id, client_secret, scope="invoices:read", token_endpoint_auth_method="client_secret_basic")
token = session.fetch_token(meta["token_endpoint"], grant_type="client_credentials")
seen = session.post(meta["introspection_endpoint"], data={"token": token["access_token"]}, auth=(client_id, client_secret)).json()
keys = JsonWebKey.import_key_set(json.load(urllib.request.urlopen(meta["jwks_uri"])))
claims = jwt.decode(id_token, keys, claims_options={"iss": {"essential": True, "value": issuer}, "aud": {"essential": True}})
claims.validate()
print(json.dumps({"token": token, "introspection": seen, "id_token": dict(claims), "alg": claims.header["alg"]}))
