package dev.ponder.testing;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.URI;

/**
 * Requests to Quarkus' management interface ({@code /q/health}, {@code /q/metrics}, {@code /q/openapi},
 * {@code /q/swagger-ui}), which listens on its own port, not on the public port RestAssured targets by default.
 */
public final class Management {

    private Management() {
    }

    /** A RestAssured request to the running test application's management port. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    /** The management port of the running test application ({@code quarkus.management.test-port}, resolved). */
    public static int port() {
        return URI.create(TestHTTPResourceManager.getManagementUri()).getPort();
    }
}
