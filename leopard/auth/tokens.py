"""JWTs: Leopard's own HS256 tokens, and tokens issued elsewhere (RS256/ES256)."""

import re
import time
import uuid

import jwt

from ..errors import Unauthorized

STREAM_SCOPE = "stream"
ACCESS = "access"
# Clocks of the issuer and of Leopard differ a little: `nbf` and `iat` may lie
# this far ahead. (`exp` gets no leeway: an expired token is expired.)
LEEWAY = 30


def issue(
    settings,
    user_id: int,
    *,
    ttl: int | None = None,
    scope: str | None = None,
    session_id: int | None = None,
):
    """A signed access token for user_id; `scope="stream"` makes one only the
    stream takes; `session_id` names the refresh session it came from."""
    now = time.time()
    claims = {
        "sub": str(user_id),
        "token_type": ACCESS,
        # To the microsecond (RFC 7519 allows it): a token issued just after a
        # reactivation is told from one issued just before the deactivation.
        "iat": now,
        "exp": int(now) + (settings.jwt_ttl if ttl is None else ttl),
        "jti": uuid.uuid4().hex,
    }
    if settings.jwt_user_claim != "sub":
        claims[settings.jwt_user_claim] = user_id
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if scope:
        claims["scope"] = scope
    if session_id is not None:
        claims["sid"] = session_id
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def _key_for(settings, algorithm: str):
    # Each algorithm has its own key, chosen here and never taken from the token:
    # an HS256 token "signed" with the public key fails against the secret.
    if algorithm == "HS256":
        return settings.jwt_secret
    if algorithm == settings.jwt_algorithm and settings.jwt_public_key:
        return settings.jwt_public_key
    raise Unauthorized(f"tokens signed with {algorithm!r} are not accepted")


class Verified:
    """Tokens whose signature has been checked, with their claims: a client
    sends the same token with every request, and checking an HS256 signature
    costs more than the rest of the authentication. A token stays a string of
    bytes signed by the same key; only its expiry is checked again. At most
    `size` tokens are kept, the oldest forgotten first."""

    def __init__(self, size: int = 4096):
        self.size, self._claims = size, {}

    def get(self, token: str) -> dict | None:
        claims = self._claims.get(token)
        if claims is not None and claims["exp"] <= time.time():
            del self._claims[token]
            raise Unauthorized("the token has expired")
        return claims

    def put(self, token: str, claims: dict) -> None:
        if len(self._claims) >= self.size:
            del self._claims[next(iter(self._claims))]
        self._claims[token] = claims


def decode(settings, token: str, verified: Verified | None = None) -> dict:
    """The verified claims of token, or Unauthorized saying why not."""
    if verified is not None and (claims := verified.get(token)) is not None:
        return claims
    require = ["exp"]
    require += ["aud"] if settings.jwt_audience else []
    require += ["iss"] if settings.jwt_issuer else []
    try:
        algorithm = jwt.get_unverified_header(token).get("alg")
        claims = jwt.decode(
            token,
            _key_for(settings, algorithm),
            algorithms=[algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={
                "require": require,
                "verify_sub": False,
                # Checked below with LEEWAY; PyJWT's leeway would stretch `exp` too.
                "verify_nbf": False,
                "verify_iat": False,
                # Unset: an `aud` of the issuer's choosing is no reason to refuse.
                "verify_aud": bool(settings.jwt_audience),
            },
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("the token has expired") from None
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid token: {exc}") from None
    _check_kind_and_time(claims)
    if verified is not None and isinstance(claims.get("exp"), int | float):
        verified.put(token, claims)
    return claims


def _check_kind_and_time(claims: dict) -> None:
    # A refresh token of an issuer such as SimpleJWT is signed with the same key
    # and lives far longer: it must never pass for an access token.
    kind = claims.get("token_type", ACCESS)
    if kind != ACCESS:
        raise Unauthorized(f"a {kind!r} token is not an access token")
    latest = time.time() + LEEWAY
    for name in ("nbf", "iat"):
        value = claims.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Unauthorized(f"invalid token: {name!r} must be a number")
        if value > latest:
            raise Unauthorized(f"the token is not valid yet ({name!r} in the future)")


def issued_after(claims: dict, moment) -> bool:
    """Whether the token was issued after moment (a datetime; None: always).
    A token that does not say when it was issued cannot show it."""
    if moment is None:
        return True
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, int | float):
        return False
    return iat > moment.timestamp()


# A user id as a token may carry it: 1 to 2^63 - 1 (a bigint), written the
# one way (no sign, space, leading zero or other digits than ASCII's).
CANONICAL_ID = re.compile(r"[1-9][0-9]{0,18}")
MAX_USER_ID = 2**63 - 1


def user_id_of(settings, claims: dict) -> int:
    """The user id of the claim LEOPARD_JWT_USER_CLAIM, or Unauthorized.

    `int()` alone would take `" 2 "`, `"+2"`, full-width digits and `1.5`,
    and a number past a bigint would reach the database; a token is refused
    unless its claim is a JSON integer or a string of canonical digits."""
    name = settings.jwt_user_claim
    value = claims.get(name)
    if value is None:
        raise Unauthorized(f"the token has no user id in claim {name!r}")
    if isinstance(value, str) and CANONICAL_ID.fullmatch(value):
        value = int(value)
    if type(value) is not int or not 1 <= value <= MAX_USER_ID:
        raise Unauthorized(f"the token's claim {name!r} is not a user id")
    return value
