package io.github.cdsengine.hooks.service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.UUID;

/** A CDS client's keys and tokens for tests: keys made for this run, tokens signed with them. */
final class ClientTokens {

  private ClientTokens() {}

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_384).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public keys as a JWK Set. */
  static String jwks(JWK... keys) {
    return new JWKSet(Arrays.stream(keys).map(JWK::toPublicJWK).toList()).toString();
  }

  /** The claims a client sends: issued now, expiring in 5 minutes, a fresh jti. */
  static JWTClaimsSet.Builder claims(String issuer, String audience, Instant now) {
    return new JWTClaimsSet.Builder().issuer(issuer).subject("ehr-user").audience(audience)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
        .jwtID(UUID.randomUUID().toString());
  }

  /** The header a client sends: RS384 or ES384 by the key, its kid, typ JWT. */
  static JWSHeader.Builder header(JWK key) {
    return new JWSHeader.Builder(key instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384)
        .type(JOSEObjectType.JWT).keyID(key.getKeyID());
  }

  static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
    try {
      JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa)
          : new ECDSASigner((ECKey) key);
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWK key, JWTClaimsSet claims) {
    return sign(key, header(key).build(), claims);
  }
}
