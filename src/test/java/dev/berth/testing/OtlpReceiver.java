package dev.berth.testing;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector's metrics endpoint, as far as a test needs one: OTLP/HTTP with protobuf at
 * {@code POST /v1/metrics} on a free loopback port, keeping each export it receives with the request's headers.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One export: the headers it came with and the request itself. */
    public record Export(Map<String, String> headers, ExportMetricsServiceRequest request) {

        /** The names of the metrics in this export. */
        public List<Metric> metrics() {
            return request.getResourceMetricsList().stream().map(ResourceMetrics::getScopeMetricsList).flatMap(List::stream)
                    .map(ScopeMetrics::getMetricsList).flatMap(List::stream).toList();
        }
    }

    private final Server server = new Server();
    private final List<Export> exports = new CopyOnWriteArrayList<>();

    public OtlpReceiver() throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (!request.getMethod().equals("POST") || !Request.getPathInContext(request).equals("/v1/metrics")) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                    return true;
                }
                InputStream body = Content.Source.asInputStream(request);
                if ("gzip".equals(request.getHeaders().get(HttpHeader.CONTENT_ENCODING))) {
                    body = new GZIPInputStream(body);
                }
                ExportMetricsServiceRequest export = ExportMetricsServiceRequest.parseFrom(body);
                Map<String, String> headers = request.getHeaders().stream()
                        .collect(Collectors.toMap(field -> field.getLowerCaseName(), field -> field.getValue(), (a, b) -> a + "," + b));
                exports.add(new Export(headers, export));
                response.setStatus(HttpStatus.OK_200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-protobuf");
                // an empty ExportMetricsServiceResponse: everything was accepted
                response.write(true, null, callback);
                return true;
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/v1/metrics";
    }

    public List<Export> exports() {
        return List.copyOf(exports);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
