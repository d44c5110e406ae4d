package dev.blueshift.sample.auth;

import dev.blueshift.sample.SampleConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.json.JsonString;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Verifies tokens as API Gateway's Cognito JWT authorizer does. smallrye-jwt checks the RS256
 * signature against the JWKS, the issuer and the expiry; this narrows the leeway after expiry to
 * blueshift.auth.expiry-leeway and adds what Cognito access tokens need: token_use must be
 * "access" and the app client (client_id, or aud in an ID token) must be one of ours. A token failing any check is rejected with 401. Verified tokens are remembered
 * for a while ({@link VerifiedTokens}), as API Gateway caches authorizer results.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class CognitoTokenPrincipalFactory extends DefaultJWTCallerPrincipalFactory {
    private final String tokenUse;
    private final List<String> clientIds;
    private final Duration expiryLeeway;
    private final Clock clock = Clock.systemUTC();
    private final VerifiedTokens verified;

    public CognitoTokenPrincipalFactory(SampleConfig config) {
        this.tokenUse = config.auth().tokenUse();
        this.clientIds = config.auth().clientIds();
        this.expiryLeeway = config.auth().expiryLeeway();
        this.verified = new VerifiedTokens(
                config.auth().verifiedTokenCacheSize(), config.auth().verifiedTokenTtl(), clock);
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        JWTCallerPrincipal known = verified.get(token);
        if (known != null) {
            return known;
        }
        JWTCallerPrincipal principal = verify(token, context);
        verified.put(token, principal);
        return principal;
    }

    private JWTCallerPrincipal verify(String token, JWTAuthContextInfo context) throws ParseException {
        JWTCallerPrincipal principal = super.parse(token, context);
        // smallrye-jwt allows a fixed 60 s after expiry; ours is blueshift.auth.expiry-leeway.
        Instant expiry = Instant.ofEpochSecond(principal.getExpirationTime());
        if (!clock.instant().isBefore(expiry.plus(expiryLeeway))) {
            throw new ParseException("token expired at " + expiry);
        }
        String use = claimText(principal, "token_use");
        if (!tokenUse.equals(use)) {
            throw new ParseException("token_use is " + use + ", expected " + tokenUse);
        }
        if (!isForOurClient(principal)) {
            throw new ParseException("token is for another app client");
        }
        return principal;
    }

    private boolean isForOurClient(JWTCallerPrincipal principal) {
        String clientId = claimText(principal, "client_id");
        if (clientId != null && clientIds.contains(clientId)) {
            return true;
        }
        Set<String> audience = principal.getAudience();
        return audience != null && audience.stream().anyMatch(clientIds::contains);
    }

    private static String claimText(JWTCallerPrincipal principal, String name) {
        Object value = principal.getClaim(name);
        if (value instanceof JsonString text) {
            return text.getString();
        }
        return value == null ? null : value.toString();
    }
}
