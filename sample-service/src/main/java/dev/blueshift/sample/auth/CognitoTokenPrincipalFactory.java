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
import java.util.List;
import java.util.Set;

/**
 * Verifies tokens as API Gateway's Cognito JWT authorizer does. smallrye-jwt checks the RS256
 * signature against the JWKS, the issuer and the expiry; this adds what Cognito access tokens
 * need: token_use must be "access" and the app client (client_id, or aud in an ID token) must be
 * one of ours. A token failing any check is rejected with 401.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class CognitoTokenPrincipalFactory extends DefaultJWTCallerPrincipalFactory {
  private final String tokenUse;
  private final List<String> clientIds;

  public CognitoTokenPrincipalFactory(SampleConfig config) {
    this.tokenUse = config.auth().tokenUse();
    this.clientIds = config.auth().clientIds();
  }

  @Override
  public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
    JWTCallerPrincipal principal = super.parse(token, context);
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
