"""VNeID sign-in by OpenID Connect: authorization code with PKCE, and a verified ID token.

The protocol work is Authlib's (the OAuth 2 client, ID-token claim rules,
provider-metadata rules) and joserfc's (signature verification); this module
holds what is ours: where the per-flow secrets live (the session), how long
provider documents are cached, which checks are mandatory, and how a verified
citizen ID maps to an account.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from authlib.oidc.discovery import OpenIDProviderMetadata, get_well_known_url
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidKeyIdError,
    JoseError,
)
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from kiemtra.core.crypto import lookup_digest

from .models import User

SESSION_KEY = "vneid_flow"
HTTP_TIMEOUT_SECONDS = 10
# Provider documents change rarely; an unknown key id forces a JWKS refresh anyway.
DOCUMENT_CACHE_SECONDS = 60 * 60
# Tolerated clock difference between us and the provider.
CLOCK_LEEWAY_SECONDS = 60
# A token minted long ago is not a fresh sign-in, even if the provider set a long expiry.
ID_TOKEN_MAX_AGE_SECONDS = 10 * 60
# Only the provider's published keys may vouch for a token: "none" would accept
# anything, and HMAC algorithms would accept tokens minted with our own client secret.
ALLOWED_SIGNING_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class VneidError(Exception):
    """A sign-in that must stop: ``reason`` goes to the audit log, ``message`` to the person."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class VerifiedSignIn:
    citizen_id: str
    subject: str
    next_url: str


def _unavailable(reason: str) -> VneidError:
    return VneidError(
        reason,
        _("Không kết nối được với VNeID. Vui lòng thử lại sau hoặc đăng nhập bằng mã định danh và mật khẩu."),
    )


def _invalid_session(reason: str) -> VneidError:
    return VneidError(reason, _("Phiên đăng nhập bằng VNeID không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại."))


def _invalid_token(reason: str) -> VneidError:
    return VneidError(reason, _("Thông tin xác thực nhận từ VNeID không hợp lệ. Vui lòng đăng nhập lại."))


def _cache_key(kind: str, url: str) -> str:
    # Hashed so that any URL makes a valid key for every cache backend.
    return f"kiemtra:vneid:{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise _unavailable("provider_unreachable") from exc
    if not isinstance(data, dict):
        raise _unavailable("provider_document_invalid")
    return data


def provider_metadata(issuer: str, *, refresh: bool = False) -> dict[str, Any]:
    """The discovery document, checked before it is cached so a bad one is never reused."""
    key = _cache_key("discovery", issuer)
    if not refresh:
        cached = cache.get(key)
        if cached is not None:
            return dict(cached)
    document = _get_json(get_well_known_url(issuer, external=True))
    try:
        OpenIDProviderMetadata(document).validate()
    except ValueError as exc:
        raise _unavailable("discovery_invalid") from exc
    # OpenID Connect Discovery 4.3: a document for another issuer is a mix-up attack.
    if document.get("issuer") != issuer:
        raise _unavailable("discovery_issuer_mismatch")
    cache.set(key, document, DOCUMENT_CACHE_SECONDS)
    return document


def provider_keys(metadata: dict[str, Any], *, refresh: bool = False) -> KeySet:
    uri = str(metadata["jwks_uri"])
    key = _cache_key("jwks", uri)
    # Untrusted JSON until import_key_set has accepted it.
    data: Any = None if refresh else cache.get(key)
    fetched = data is None
    if data is None:
        data = _get_json(uri)
    try:
        keys = KeySet.import_key_set(data)
    except (JoseError, KeyError, TypeError, ValueError) as exc:
        raise _unavailable("jwks_invalid") from exc
    if fetched:
        cache.set(key, data, DOCUMENT_CACHE_SECONDS)
    return keys


def _client(redirect_uri: str, metadata: dict[str, Any]) -> Any:
    secret = settings.VNEID_CLIENT_SECRET
    method = "none"
    if secret:
        # Discovery says client_secret_basic is the default when the provider lists nothing.
        supported = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        method = "client_secret_post" if "client_secret_basic" not in supported else "client_secret_basic"
    return OAuth2Session(
        client_id=settings.VNEID_CLIENT_ID,
        client_secret=secret or None,
        token_endpoint_auth_method=method,
        scope=settings.VNEID_SCOPES,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        default_timeout=HTTP_TIMEOUT_SECONDS,
    )


def begin(session: SessionBase, *, redirect_uri: str, next_url: str) -> str:
    """Remember this flow's secrets in the session; return the provider's authorization URL."""
    issuer = settings.VNEID_ISSUER
    metadata = provider_metadata(issuer)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)
    client = _client(redirect_uri, metadata)
    try:
        # Default (query) response mode: the answer returns as a top-level GET, which the
        # SameSite=Lax session cookie accompanies; form_post would arrive without the session.
        url, _state = client.create_authorization_url(
            metadata["authorization_endpoint"], state=state, code_verifier=code_verifier, nonce=nonce
        )
    finally:
        client.close()
    session[SESSION_KEY] = {
        "issuer": issuer,
        "state": state,
        "nonce": nonce,
        "code_verifier": code_verifier,
        "redirect_uri": redirect_uri,
        "next": next_url,
    }
    return str(url)


def complete(session: SessionBase, params: dict[str, str]) -> VerifiedSignIn:
    """Check the provider's redirect, redeem the code, verify the ID token; return the citizen ID."""
    # Popped first: whatever happens next, this state, nonce and verifier are never usable again.
    flow = session.pop(SESSION_KEY, None)
    if not isinstance(flow, dict) or flow.get("issuer") != settings.VNEID_ISSUER:
        raise _invalid_session("no_flow")
    if not hmac.compare_digest(str(flow["state"]), params.get("state", "")):
        raise _invalid_session("state_mismatch")
    # RFC 9207: when the provider names itself, it must be the one we sent the person to.
    if "iss" in params and params["iss"] != flow["issuer"]:
        raise _invalid_session("issuer_mismatch")
    if "error" in params:
        if params["error"] == "access_denied":
            raise VneidError("provider_error:access_denied", _("Bạn đã hủy đăng nhập bằng VNeID."))
        raise VneidError(
            f"provider_error:{params['error'][:64]}",
            _("VNeID từ chối yêu cầu đăng nhập. Vui lòng thử lại."),
        )
    code = params.get("code", "")
    if not code:
        raise _invalid_session("no_code")

    metadata = provider_metadata(flow["issuer"])
    client = _client(flow["redirect_uri"], metadata)
    try:
        token = client.fetch_token(
            metadata["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=flow["code_verifier"],
        )
    except AuthlibBaseError as exc:
        raise VneidError(
            f"token_error:{str(exc.error)[:64]}",
            _("Không xác nhận được kết quả đăng nhập với VNeID. Vui lòng thử lại."),
        ) from exc
    except (requests.RequestException, ValueError) as exc:
        raise _unavailable("token_endpoint_unreachable") from exc
    finally:
        client.close()

    id_token = token.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise _invalid_token("no_id_token")
    claims = verify_id_token(
        id_token,
        metadata=metadata,
        nonce=str(flow["nonce"]),
        access_token=token.get("access_token"),
    )
    citizen_id = claims.get(settings.VNEID_CITIZEN_ID_CLAIM)
    if isinstance(citizen_id, int) and not isinstance(citizen_id, bool):
        citizen_id = str(citizen_id)
    if not isinstance(citizen_id, str) or not citizen_id.strip():
        raise VneidError(
            "no_citizen_id",
            _("VNeID không cung cấp số định danh cá nhân, nên không thể xác định tài khoản."),
        )
    return VerifiedSignIn(citizen_id=citizen_id.strip(), subject=str(claims["sub"]), next_url=str(flow["next"]))


def verify_id_token(
    id_token: str, *, metadata: dict[str, Any], nonce: str, access_token: str | None, now: int | None = None
) -> dict[str, Any]:
    """Signature against the provider's JWKS, then iss, aud, azp, exp, iat, nonce and at_hash."""
    algorithms = [
        alg for alg in metadata.get("id_token_signing_alg_values_supported", []) if alg in ALLOWED_SIGNING_ALGORITHMS
    ]
    if not algorithms or not nonce:
        raise _invalid_token("no_usable_algorithm" if not algorithms else "no_nonce")
    registry = JWSRegistry(algorithms=algorithms, strict_check_header=False)
    try:
        try:
            decoded = jwt.decode(id_token, provider_keys(metadata), registry=registry)
        except InvalidKeyIdError:
            # The provider may have rotated its keys since we cached them.
            decoded = jwt.decode(id_token, provider_keys(metadata, refresh=True), registry=registry)
    except (BadSignatureError, InvalidKeyIdError) as exc:
        raise _invalid_token("bad_signature") from exc
    except JoseError as exc:
        raise _invalid_token(f"undecodable:{exc.error}") from exc

    checked_at = int(time.time()) if now is None else now
    client_id = settings.VNEID_CLIENT_ID
    claims = CodeIDToken(
        decoded.claims,
        decoded.header,
        options={
            "iss": {"essential": True, "value": metadata["issuer"]},
            "aud": {"essential": True, "value": client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {
                "essential": True,
                "validate": lambda _claims, iat: iat >= checked_at - ID_TOKEN_MAX_AGE_SECONDS - CLOCK_LEEWAY_SECONDS,
            },
        },
        params={"nonce": nonce, "client_id": client_id, "access_token": access_token},
    )
    try:
        claims.validate(now=checked_at, leeway=CLOCK_LEEWAY_SECONDS)
    except ExpiredTokenError as exc:
        raise VneidError("expired_token", _("Thông tin xác thực từ VNeID đã hết hạn. Vui lòng đăng nhập lại.")) from exc
    except ClaimError as exc:
        raise _invalid_token(f"{exc.error}:{exc.claim}") from exc
    except JoseError as exc:
        raise _invalid_token(f"invalid_id_token:{exc.error}") from exc
    return dict(claims)


def account_for(citizen_id: str) -> User:
    """The one existing, active account holding this citizen ID: VNeID never creates accounts."""
    user = User.objects.select_related("home_unit").filter(citizen_id_digest=lookup_digest(citizen_id)).first()
    if user is None:
        raise VneidError(
            "unknown_citizen_id",
            _(
                "Số định danh cá nhân này chưa được gắn với tài khoản nào trong hệ thống. "
                "Vui lòng liên hệ quản trị viên của đơn vị."
            ),
        )
    if not user.is_active:
        raise VneidError(
            "inactive_account",
            _("Tài khoản gắn với số định danh này đã ngừng hoạt động. Vui lòng liên hệ quản trị viên của đơn vị."),
        )
    return user
