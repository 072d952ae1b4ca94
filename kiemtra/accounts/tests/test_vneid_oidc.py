"""VNeID sign-in, end to end against a real OpenID provider on loopback.

The provider is assembled from Authlib's server side (authorization-code grant,
PKCE, OpenID Connect ID tokens signed RS256 with a key made at start-up) and
served over HTTP by wsgiref in a thread. Our code talks to it exactly as it
would to VNeID: discovery, JWKS, authorize, token. The provider signs in one
configured citizen without a login page, and has switches to misbehave (wrong
nonce, foreign key, old token) for the denial tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http import HTTPStatus
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.util import request_uri

import pytest
import requests
from authlib.common.encoding import json_dumps
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749 import (
    AuthorizationCodeGrant,
    AuthorizationServer,
    ClientMixin,
    InvalidRequestError,
    OAuth2Error,
    OAuth2Payload,
    OAuth2Request,
)
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, OpenIDCode, UserInfo
from django.core.cache import cache
from django.test import Client
from joserfc.jwk import RSAKey

from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import make_person, make_unit
from kiemtra.orgs.choices import UnitKind

CLIENT_ID = "kiemtra-thu-nghiem"
CLIENT_SECRET = "bi-mat-cua-ung-dung-thu-nghiem"
REDIRECT_URI = "http://testserver/tai-khoan/vneid/callback/"
CITIZEN_ID = "001085012345"
SCOPES = {"openid", "profile"}


# --- The provider ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Citizen:
    citizen_id: str

    @property
    def subject(self):
        # An opaque subject, as VNeID gives: the citizen ID travels in its own claim.
        return "vneid-" + hashlib.sha256(self.citizen_id.encode()).hexdigest()[:20]


class RegisteredClient(ClientMixin):
    def get_client_id(self):
        return CLIENT_ID

    def get_default_redirect_uri(self):
        return REDIRECT_URI

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == REDIRECT_URI

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method, endpoint):
        return method == "client_secret_basic"

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class IssuedCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    citizen: Citizen
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


class CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.codes[code] = IssuedCode(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            citizen=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
            auth_time=int(time.time()),
        )
        if data.get("nonce"):
            self.server.seen_nonces.add(data["nonce"])

    def query_authorization_code(self, code, client):
        issued = self.server.codes.get(code)
        return issued if issued is not None and issued.client_id == client.get_client_id() else None

    def delete_authorization_code(self, authorization_code):
        self.server.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.citizen


class S256Required(CodeChallenge):
    """Like VNeID: no authorization without an S256 challenge, whatever the client type."""

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with S256 is required.")
        super().validate_code_challenge(grant, redirect_uri)


class IdTokens(OpenIDCode):
    def __init__(self, provider):
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce, request):
        return nonce in self.provider.seen_nonces

    def resolve_client_private_key(self, client):
        return self.provider.token_key or self.provider.key

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": (self.provider.token_key or self.provider.key).kid}

    def get_client_claims(self, client):
        issued_at = int(time.time()) - self.provider.token_age
        return {
            "iss": self.provider.issuer,
            "aud": [client.get_client_id()],
            "iat": issued_at,
            "exp": issued_at + self.provider.token_lifetime,
            **self.provider.claim_overrides,
        }

    def get_authorization_code_claims(self, authorization_code):
        claims = super().get_authorization_code_claims(authorization_code)
        if self.provider.nonce_override is not None:
            claims["nonce"] = self.provider.nonce_override
        return claims

    def generate_user_info(self, user, scope):
        return UserInfo(sub=user.subject, citizen_id=user.citizen_id, name="Nguyễn Văn Thử")


class WsgiPayload(OAuth2Payload):
    def __init__(self, values):
        self._values = values

    @property
    def data(self):
        return {key: values[0] for key, values in self._values.items()}

    @property
    def datalist(self):
        return self._values


class WsgiRequest(OAuth2Request):
    def __init__(self, environ):
        headers = {
            key[5:].replace("_", "-").title(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        super().__init__(environ["REQUEST_METHOD"], request_uri(environ), headers=headers)
        self._args = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        self._form = {}
        if self.method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            self._form = parse_qs(environ["wsgi.input"].read(length).decode(), keep_blank_values=True)
        self.payload = WsgiPayload({**self._args, **self._form})

    @property
    def args(self):
        return {key: values[0] for key, values in self._args.items()}

    @property
    def form(self):
        return {key: values[0] for key, values in self._form.items()}


class Provider(AuthorizationServer):
    """An OpenID provider on loopback, one registered client, one signed-in citizen at a time."""

    def __init__(self):
        super().__init__(scopes_supported=sorted(SCOPES))
        self.issuer = ""
        self.client = RegisteredClient()
        self.register_token_generator("default", BearerTokenGenerator(lambda **_: generate_token(42)))
        self.register_grant(CodeGrant, [S256Required(), IdTokens(self)])
        self.first_key = self.new_key("vneid-1")
        self.reset()

    @staticmethod
    def new_key(kid):
        return RSAKey.generate_key(2048, {"kid": kid, "use": "sig", "alg": "RS256"}, private=True)

    def reset(self):
        self.key = self.first_key  # the published signing key; a test may rotate it
        self.citizen_id = CITIZEN_ID
        self.deny = False
        self.nonce_override = None
        self.token_key = None  # sign with this instead of the published key
        self.token_age = 0
        self.token_lifetime = 300
        self.claim_overrides = {}
        self.codes = {}
        self.seen_nonces = set()
        self.authorization_requests = []
        self.token_responses = []
        self.hits = Counter()

    # What the Authlib server needs from its host.
    def query_client(self, client_id):
        return self.client if client_id == CLIENT_ID else None

    def save_token(self, token, request):
        pass  # the access token is never presented back: the relying party only signs in

    def send_signal(self, name, *args, **kwargs):
        pass

    def create_oauth2_request(self, request):
        return request if isinstance(request, OAuth2Request) else WsgiRequest(request)

    def create_json_request(self, request):
        raise NotImplementedError

    def handle_response(self, status, body, headers):
        return status, body, headers

    # HTTP
    def discovery(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "scopes_supported": sorted(SCOPES),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "citizen_id", "name"],
        }

    def authorize(self, environ):
        request = WsgiRequest(environ)
        self.authorization_requests.append(dict(request.payload.data))
        # No login page: the configured citizen is taken to have just proved who they are.
        citizen = Citizen(self.citizen_id)
        try:
            grant = self.get_consent_grant(request, end_user=citizen)
        except OAuth2Error as error:
            return self.handle_error_response(request, error)
        return self.create_authorization_response(request, grant_user=None if self.deny else citizen, grant=grant)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        self.hits[path] += 1
        json_headers = [("Content-Type", "application/json")]
        if path == "/.well-known/openid-configuration":
            status, body, headers = 200, self.discovery(), json_headers
        elif path == "/jwks":
            status, body, headers = 200, {"keys": [self.key.as_dict(private=False)]}, json_headers
        elif path == "/authorize":
            status, body, headers = self.authorize(environ)
        elif path == "/token":
            status, body, headers = self.create_token_response(environ)
            self.token_responses.append((status, body))
        else:
            status, body, headers = 404, "", []
        payload = (json_dumps(body) if isinstance(body, dict) else body).encode()
        start_response(f"{status} {HTTPStatus(status).phrase}", list(headers))
        return [payload]


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def running_provider():
    provider = Provider()
    server = make_server("127.0.0.1", 0, provider, server_class=ThreadingWSGIServer, handler_class=QuietHandler)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield provider
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def provider(running_provider, settings, monkeypatch):
    running_provider.reset()
    settings.VNEID_ISSUER = running_provider.issuer
    settings.VNEID_CLIENT_ID = CLIENT_ID
    settings.VNEID_CLIENT_SECRET = CLIENT_SECRET
    settings.VNEID_SCOPES = "openid profile"
    settings.VNEID_CITIZEN_ID_CLAIM = "citizen_id"
    # A proxy from the environment must not sit between us and a loopback provider.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    # Each test starts with nothing cached from another test's provider state.
    cache.clear()
    yield running_provider
    cache.clear()


# --- Helpers ----------------------------------------------------------------------------------


@pytest.fixture
def account(db):
    user = make_person("canbo.vneid", unit=make_unit(UnitKind.PROVINCIAL, code="T01"))
    user.set_citizen_id(CITIZEN_ID)
    user.save()
    return user


def go_through_vneid(client, provider, *, next_url=None, before_callback=None, edit_callback=None):
    """The browser's trip: our start page, the provider's authorize page, back to our callback."""
    start = "/tai-khoan/vneid/" + (f"?{urlencode({'next': next_url})}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{provider.issuer}/authorize?")
    if before_callback is not None:
        before_callback(client)
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT_URI
    params = {key: values[0] for key, values in parse_qs(back.query).items()}
    if edit_callback is not None:
        edit_callback(params)
    return client.get(back.path, params)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def failure_reasons():
    return [event.extra["reason"] for event in AuditEvent.objects.filter(action="accounts.vneid.failed")]


def assert_refused(client, response, reason, message):
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert signed_in_user_id(client) is None
    assert failure_reasons() == [reason]
    assert not AuditEvent.objects.filter(action="accounts.signed_in").exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert message in page.content.decode()


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


# --- Sign-in ----------------------------------------------------------------------------------


def test_signs_in_an_existing_account_with_pkce_state_and_nonce(provider, account):
    client = Client()
    sent = {}

    def remember_flow(c):
        sent.update(c.session["vneid_flow"])

    response = go_through_vneid(client, provider, next_url="/don-vi/", before_callback=remember_flow)

    assert response.status_code == 302
    assert response["Location"] == "/don-vi/"
    assert signed_in_user_id(client) == str(account.pk)
    assert "vneid_flow" not in client.session
    event = AuditEvent.objects.get(action="accounts.signed_in")
    assert (event.actor_id, event.unit_id, event.extra) == (account.pk, account.home_unit_id, {"method": "vneid"})
    assert failure_reasons() == []
    # What reached the provider: an S256 challenge of the verifier kept in our session, and our nonce.
    request = provider.authorization_requests[-1]
    assert request["code_challenge_method"] == "S256"
    assert request["code_challenge"] == s256(sent["code_verifier"])
    assert request["nonce"] == sent["nonce"]
    assert request["state"] == sent["state"]
    assert provider.token_responses[-1][0] == 200


def test_an_unsafe_next_is_replaced_by_the_home_page(provider, account):
    client = Client()
    response = go_through_vneid(client, provider, next_url="https://lua-dao.example/")
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(account.pk)


def test_login_page_offers_vneid_when_configured(provider, db):
    page = Client().get("/tai-khoan/dang-nhap/")
    assert 'href="/tai-khoan/vneid/"' in page.content.decode()


def test_vneid_pages_do_not_exist_when_not_configured(settings, db):
    settings.VNEID_ISSUER = ""
    client = Client()
    assert client.get("/tai-khoan/vneid/").status_code == 404
    assert client.get("/tai-khoan/vneid/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_discovery_and_keys_are_cached_and_a_rotated_key_is_fetched(provider, account):
    go_through_vneid(Client(), provider)
    go_through_vneid(Client(), provider)
    assert provider.hits["/.well-known/openid-configuration"] == 1
    assert provider.hits["/jwks"] == 1

    provider.key = provider.new_key("vneid-2")
    client = Client()
    go_through_vneid(client, provider)

    assert signed_in_user_id(client) == str(account.pk)
    assert provider.hits["/jwks"] == 2
    assert AuditEvent.objects.filter(action="accounts.signed_in").count() == 3


# --- Refusals ---------------------------------------------------------------------------------


def test_unknown_citizen_id_is_refused_and_no_account_is_created(provider, account):
    provider.citizen_id = "079200009999"
    users_before = User.objects.count()
    client = Client()
    response = go_through_vneid(client, provider)
    assert_refused(client, response, "unknown_citizen_id", "chưa được gắn với tài khoản nào")
    assert User.objects.count() == users_before


def test_inactive_account_is_refused(provider, account):
    account.is_active = False
    account.save()
    client = Client()
    response = go_through_vneid(client, provider)
    assert_refused(client, response, "inactive_account", "đã ngừng hoạt động")


def test_tampered_state_is_refused_before_the_code_is_redeemed(provider, account):
    client = Client()

    def tamper(params):
        params["state"] = params["state"][:-1] + ("A" if params["state"][-1] != "A" else "B")

    response = go_through_vneid(client, provider, edit_callback=tamper)
    assert_refused(client, response, "state_mismatch", "Phiên đăng nhập bằng VNeID không hợp lệ")
    assert provider.hits["/token"] == 0


def test_a_replayed_callback_without_our_session_is_refused(provider, account):
    captured = {}

    def keep(params):
        captured.update(params)

    go_through_vneid(Client(), provider, edit_callback=keep)
    other_browser = Client()
    response = other_browser.get("/tai-khoan/vneid/callback/", captured)
    assert response.status_code == 302
    assert signed_in_user_id(other_browser) is None
    assert failure_reasons() == ["no_flow"]


def test_wrong_nonce_is_refused(provider, account):
    provider.nonce_override = "mot-nonce-khac"
    client = Client()
    response = go_through_vneid(client, provider)
    assert_refused(client, response, "invalid_claim:nonce", "không hợp lệ")


@pytest.mark.parametrize("kid", ["vneid-1", "khoa-la"], ids=["same-kid", "unknown-kid"])
def test_token_signed_with_another_key_is_refused(provider, account, kid):
    provider.token_key = provider.new_key(kid)
    client = Client()
    response = go_through_vneid(client, provider)
    assert_refused(client, response, "bad_signature", "không hợp lệ")
    # An unknown key id is worth one fresh look at the JWKS (rotation), never more.
    assert provider.hits["/jwks"] == (1 if kid == "vneid-1" else 2)


@pytest.mark.parametrize(
    ("claim", "value"),
    [("iss", "https://vneid.gia-mao.example"), ("aud", ["ung-dung-khac"])],
    ids=["other-issuer", "other-audience"],
)
def test_token_for_another_issuer_or_audience_is_refused(provider, account, claim, value):
    provider.claim_overrides = {claim: value}
    client = Client()
    response = go_through_vneid(client, provider)
    assert_refused(client, response, f"invalid_claim:{claim}", "không hợp lệ")


def test_expired_token_is_refused(provider, account):
    provider.token_age = 3600
    client = Client()
    response = go_through_vneid(client, provider)
    assert_refused(client, response, "expired_token", "đã hết hạn")


def test_token_issued_long_ago_is_refused_even_if_not_expired(provider, account):
    provider.token_age = 1800
    provider.token_lifetime = 3600
    client = Client()
    response = go_through_vneid(client, provider)
    assert_refused(client, response, "invalid_claim:iat", "không hợp lệ")


def test_pkce_verifier_mismatch_is_refused_by_the_provider(provider, account):
    def swap_verifier(c):
        session = c.session
        flow = session["vneid_flow"]
        flow["code_verifier"] = generate_token(64)
        session["vneid_flow"] = flow
        session.save()

    client = Client()
    response = go_through_vneid(client, provider, before_callback=swap_verifier)
    assert provider.token_responses == [
        (400, {"error": "invalid_grant", "error_description": "Code challenge failed."})
    ]
    assert_refused(client, response, "token_error:invalid_grant", "Không xác nhận được kết quả đăng nhập")


def test_cancelling_at_vneid_is_refused_with_its_own_message(provider, account):
    provider.deny = True
    client = Client()
    response = go_through_vneid(client, provider)
    assert_refused(client, response, "provider_error:access_denied", "Bạn đã hủy đăng nhập bằng VNeID.")


def test_unreachable_provider_is_reported_not_a_server_error(provider, settings, account):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.VNEID_ISSUER = f"http://127.0.0.1:{closed_port}"
    client = Client()
    response = client.get("/tai-khoan/vneid/", {"next": "/don-vi/"})
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=%2Fdon-vi%2F"
    assert_refused(client, response, "provider_unreachable", "Không kết nối được với VNeID")


def test_a_vneid_only_account_is_not_sent_to_change_a_password_it_does_not_have(provider, account):
    account.set_unusable_password()
    account.must_change_password = True
    account.save()
    client = Client()
    go_through_vneid(client, provider)
    assert signed_in_user_id(client) == str(account.pk)
    assert client.get("/").status_code == 200
