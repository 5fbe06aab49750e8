package io.github.cdsengine.hooks.service;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * Fetches a trusted issuer's JWK Set over HTTPS: certificates and host names checked against
 * the given trust, no redirects followed, bounded in time and size.
 */
final class HttpsJwkSets implements IssuerKeys.Source {

  /** The largest JWK Set read; a set of a few keys is a few kilobytes. */
  static final int MAX_BYTES = 256 * 1024;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;

  HttpsJwkSets(SSLContext trust) {
    this.http = HttpClient.newBuilder().sslContext(trust).connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public String fetch(URI url) throws IOException {
    if (!"https".equals(url.getScheme().toLowerCase(Locale.ROOT))) {
      throw new IOException("a JWK Set is fetched over https only, not " + url.getScheme());
    }
    HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT)
        .header("Accept", "application/jwk-set+json, application/json").GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching the JWK Set", e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP status " + response.statusCode()
            + (response.statusCode() / 100 == 3 ? " (redirects are not followed)" : ""));
      }
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IOException("the JWK Set is larger than " + MAX_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
