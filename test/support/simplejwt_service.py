"""A Django service that verifies Gatehouse access tokens itself with SimpleJWT, as teams run them.

Configured from the environment: SIGNING_KEY (the HS256 secret), AUDIENCE and ISSUER (unset: none,
SimpleJWT's default). Serves on 127.0.0.1 at a free port and prints `port <n>` once listening.
GET /whoami: 200 {"user_id": …} through SimpleJWT's JWTStatelessUserAuthentication, else 401.
GET /pyjwt: 200 or 401 from bare PyJWT (`jwt.decode` with no audience), the library under SimpleJWT.
"""
import os
import sys

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="test-service-not-a-secret",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["*"],
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"],
    DATABASES={},
    MIDDLEWARE=[],
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTStatelessUserAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "UNAUTHENTICATED_USER": None,
    },
    SIMPLE_JWT={
        "ALGORITHM": "HS256",
        "SIGNING_KEY": os.environ["SIGNING_KEY"],
        "AUDIENCE": os.environ.get("AUDIENCE") or None,
        "ISSUER": os.environ.get("ISSUER") or None,
        "USER_ID_CLAIM": "user_id",
    },
)
django.setup()

import jwt  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


class WhoAmI(APIView):
    def get(self, request):
        return Response({"user_id": request.user.id})


def bare_pyjwt(request):
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        claims = jwt.decode(token, os.environ["SIGNING_KEY"], algorithms=["HS256"])
    except jwt.InvalidTokenError as err:
        return JsonResponse({"error": type(err).__name__}, status=401)
    return JsonResponse({"user_id": claims["user_id"]})


urlpatterns = [path("whoami", WhoAmI.as_view()), path("pyjwt", bare_pyjwt)]

if __name__ == "__main__":
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    print(f"port {server.server_port}", flush=True)
    sys.stdout.close()
    server.serve_forever()
