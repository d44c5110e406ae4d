package dev.blueshift.operator.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.api.v1alpha1.spec.PrometheusMetric;
import dev.blueshift.operator.api.v1alpha1.spec.ThresholdCondition;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A PromQL instant query ({@code GET /api/v1/query}) compared with the metric's threshold. Scalar
 * and vector results are read; with several series every one must pass and the worst is reported.
 * An empty vector or NaN (e.g. 0/0 when the revision had no traffic) is no data; an HTTP or parse
 * error, a timeout, or a result of another type is a provider error.
 */
public class PrometheusProvider implements MetricProvider {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private final HttpClient http;
  private final Duration timeout;
  private final Optional<String> defaultAddress;
  private final Supplier<? extends AwsCredentialsIdentity> credentials;

  public PrometheusProvider(Duration timeout) {
    this(timeout, Optional.empty(), DefaultCredentialsProvider.builder().build()::resolveCredentials);
  }

  /**
   * @param defaultAddress the Prometheus of metrics that name none
   * @param credentials AWS credentials for metrics whose queries are signed (sigv4)
   */
  public PrometheusProvider(Duration timeout, Optional<String> defaultAddress, Supplier<? extends AwsCredentialsIdentity> credentials) {
    this.timeout = timeout;
    this.defaultAddress = defaultAddress;
    this.credentials = credentials;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public boolean handles(AnalysisMetric metric) {
    return metric.getPrometheus() != null;
  }

  @Override
  public Measurement measure(AnalysisMetric metric, AnalysisTarget target) {
    PrometheusMetric spec = metric.getPrometheus();
    ThresholdCondition condition = Objects.requireNonNullElse(spec.getCondition(), ThresholdCondition.LessThan);
    double threshold = spec.getThreshold();
    String wanted = condition.symbol() + " " + format(threshold);
    String query = target.render(spec.getQuery());
    Optional<String> address = Optional.ofNullable(spec.getAddress()).or(() -> defaultAddress);
    if (address.isEmpty()) {
      return Measurement.error(wanted, "no Prometheus address: set the metric's prometheus.address or the operator's"
          + " blueshift.analysis.prometheus-address");
    }
    URI uri;
    try {
      uri = URI.create(address.get().replaceAll("/+$", "") + "/api/v1/query?query="
          + URLEncoder.encode(query, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Measurement.error(wanted, "bad Prometheus address " + address.get() + ": " + e.getMessage());
    }
    HttpResponse<String> response;
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
      if (spec.getSigv4() != null) {
        sign(request, uri, spec.getSigv4().getRegion());
      }
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return Measurement.error(wanted, "Prometheus at " + address.get() + " unreachable: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Measurement.error(wanted, "interrupted while querying Prometheus");
    } catch (SdkException e) {
      return Measurement.error(wanted, "cannot sign the query with AWS SigV4: " + e.getMessage());
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      return Measurement.error(wanted, "HTTP " + response.statusCode() + " from Prometheus, not JSON");
    }
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      return Measurement.error(wanted, "HTTP " + response.statusCode() + " from Prometheus: "
          + body.path("errorType").asText("?") + ": " + body.path("error").asText(response.body()));
    }
    JsonNode data = body.path("data");
    String type = data.path("resultType").asText();
    return switch (type) {
      case "scalar" -> judge(new double[] {sample(data.path("result"))}, condition, threshold, wanted);
      case "vector" -> {
        JsonNode result = data.path("result");
        double[] values = new double[result.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = sample(result.get(i).path("value"));
        }
        yield values.length == 0
            ? Measurement.noData(wanted, "empty result for " + query)
            : judge(values, condition, threshold, wanted);
      }
      default -> Measurement.error(wanted, "result type '" + type + "' is not a scalar or an instant vector");
    };
  }

  /** Adds the SigV4 headers (service aps) that Amazon Managed Service for Prometheus requires. */
  private void sign(HttpRequest.Builder request, URI uri, String region) {
    SdkHttpRequest unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.GET).build();
    SignedRequest signed = SIGNER.sign(r -> r.identity(credentials.get()).request(unsigned)
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "aps")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) { // the HTTP client sets Host itself, from the same URI
        values.forEach(value -> request.header(name, value));
      }
    });
  }

  private static Measurement judge(double[] values, ThresholdCondition condition, double threshold, String wanted) {
    Double worst = null;
    for (double v : values) {
      if (Double.isNaN(v)) {
        continue;
      }
      if (worst == null || condition.worse(v, worst)) {
        worst = v;
      }
    }
    if (worst == null) {
      return Measurement.noData(wanted, "the result is NaN (no traffic?)");
    }
    return condition.passes(worst, threshold) ? Measurement.passed(format(worst), wanted) : Measurement.failed(format(worst), wanted);
  }

  /** A sample is [time, "value"]; Prometheus writes NaN and ±Inf as strings too. */
  private static double sample(JsonNode pair) {
    String text = pair.path(1).asText("NaN");
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  static String format(double value) {
    if (Double.isInfinite(value) || Double.isNaN(value)) {
      return Double.toString(value);
    }
    return new BigDecimal(value).round(MathContext.DECIMAL32).stripTrailingZeros().toPlainString();
  }

  private static String describe(IOException e) {
    return e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getClass().getSimpleName();
  }
}
