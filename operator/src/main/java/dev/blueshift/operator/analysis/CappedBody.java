package dev.blueshift.operator.analysis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a number of bytes: a declared Content-Length above it,
 * or more bytes arriving, fails the body with {@link TooLarge} and cancels the rest, which is
 * never read. {@link #abort()} cancels a body still arriving (when the caller stops waiting).
 * One instance per request.
 */
final class CappedBody implements HttpResponse.BodyHandler<byte[]> {
    /** The body is larger than the cap. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("answer larger than " + max + " bytes");
        }
    }

    private final int max;
    private volatile Flow.Subscription subscription;
    private volatile boolean aborted;

    CappedBody(int max) {
        this.max = max;
    }

    /** Stops reading: the body fails, and the connection is dropped rather than drained. */
    void abort() {
        aborted = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        return new HttpResponse.BodySubscriber<>() {
            private final CompletableFuture<byte[]> body = new CompletableFuture<>();
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public CompletionStage<byte[]> getBody() {
                return body;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                if (declared > max) {
                    fail(new TooLarge(max));
                } else if (aborted) {
                    fail(new IOException("aborted"));
                } else {
                    s.request(1);
                }
            }

            @Override
            public void onNext(List<ByteBuffer> buffers) {
                if (body.isDone()) {
                    return;
                }
                for (ByteBuffer buffer : buffers) {
                    if (bytes.size() + (long) buffer.remaining() > max) {
                        fail(new TooLarge(max));
                        return;
                    }
                    byte[] chunk = new byte[buffer.remaining()];
                    buffer.get(chunk);
                    bytes.writeBytes(chunk);
                }
                if (aborted) {
                    fail(new IOException("aborted"));
                } else {
                    subscription.request(1);
                }
            }

            @Override
            public void onError(Throwable error) {
                body.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                body.complete(bytes.toByteArray());
            }

            private void fail(IOException why) {
                subscription.cancel();
                body.completeExceptionally(why);
            }
        };
    }
}
