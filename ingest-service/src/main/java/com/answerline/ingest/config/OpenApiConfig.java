package com.answerline.ingest.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document (springdoc; which paths it covers is set in application.yml). Gateway operations carry
 * the bearer-JWT requirement; webhooks do not, they are authenticated by their providers' signatures.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String BEARER_JWT = "bearer-jwt";

    @Bean
    OpenAPI ingestOpenApi() {
        return new OpenAPI()
                .info(new Info().title("answerline ingest-service")
                        .description("Agents' gateway (/api/v1, bearer JWT with tenant_id and roles) and the "
                                + "WhatsApp / SMS webhooks (provider signatures)."))
                .components(new Components().addSecuritySchemes(BEARER_JWT, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")));
    }

    @Bean
    OpenApiCustomizer gatewayNeedsBearerJwt() {
        return api -> api.getPaths().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                item.readOperations().forEach(op -> op.addSecurityItem(new SecurityRequirement().addList(BEARER_JWT)));
            }
        });
    }
}
