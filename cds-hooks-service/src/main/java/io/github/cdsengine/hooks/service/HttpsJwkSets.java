package io.github.cdsengine.hooks.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Fetches a trusted issuer's JWK Set over HTTPS: certificates and host names checked against
 * the given trust, no redirects followed, bounded in time and size.
 *
 * <p>The time bound is a deadline on the whole exchange, the body included: the JDK client's
 * request timeout ends when the headers arrive, so an endpoint that answers and then stops
 * sending would otherwise hold the fetch, and every call waiting for the issuer's keys, for as
 * long as it keeps the connection open.
 */
final class HttpsJwkSets implements IssuerKeys.Source {

  /** The largest JWK Set read; a set of a few keys is a few kilobytes. */
  static final int MAX_BYTES = 256 * 1024;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The most one fetch takes, from sending the request to the last byte of the set. */
  private static final Duration DEADLINE = Duration.ofSeconds(10);

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
    HttpRequest request = HttpRequest.newBuilder(url).timeout(DEADLINE)
        .header("Accept", "application/jwk-set+json, application/json").GET().build();
    CompletableFuture<HttpResponse<byte[]>> exchange =
        http.sendAsync(request, info -> new BoundedBody(info.statusCode()));
    HttpResponse<byte[]> response;
    try {
      response = exchange.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new IOException("no complete answer within " + DEADLINE.toSeconds() + " s");
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching the JWK Set", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io
          : new IOException("the JWK Set could not be fetched: " + e.getCause(), e.getCause());
    }
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /**
   * A body read into memory up to {@link #MAX_BYTES}, cancelled as soon as it is larger; a
   * status other than 200 fails at once, without reading the body.
   */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int status;
    private Flow.Subscription subscription;

    BoundedBody(int status) {
      this.status = status;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (status != 200) {
        fail(new IOException("HTTP status " + status
            + (status / 100 == 3 ? " (redirects are not followed)" : "")));
      } else {
        subscription.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (body.isDone()) {
          return;
        }
        if (bytes.size() + buffer.remaining() > MAX_BYTES) {
          fail(new IOException("the JWK Set is larger than " + MAX_BYTES + " bytes"));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable failure) {
      body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toByteArray());
    }

    private void fail(IOException failure) {
      subscription.cancel();
      body.completeExceptionally(failure);
    }
  }
}
