package com.answerline.dispatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import com.answerline.dispatch.template.CatalogueTemplate;

/**
 * The template catalogue: what it is seeded with and how it is kept in sync with the provider's template list.
 * Every tenant's default template (with its configured body) is seeded as APPROVED for the tenant's WABA; this
 * record adds any further templates per WABA. Defaults in application.yml.
 *
 * @param syncEnabled  read the provider's template list at start-up and every {@code syncInterval}
 * @param syncInterval how often; a template paused at the provider is still sent (and refused there) until then
 * @param syncTimeout  a WABA's whole read, all pages; a timeout counts as a failed sync
 * @param pageSize     the {@code limit} asked per page
 * @param catalogue    further configured templates, by WABA id
 */
@Validated
@ConfigurationProperties("answerline.dispatch.templates")
public record TemplateProperties(boolean syncEnabled, @NotNull Duration syncInterval, @NotNull Duration syncTimeout,
                                 @Min(1) @Max(1000) int pageSize, Map<String, List<@Valid Template>> catalogue) {

    public TemplateProperties {
        catalogue = catalogue == null ? Map.of() : Map.copyOf(catalogue);
    }

    /** A configured template; status APPROVED unless said otherwise. */
    public record Template(@NotBlank String name, @NotBlank String language, String category, String status,
                           @NotBlank String body) {

        public CatalogueTemplate toTemplate() {
            return new CatalogueTemplate(name, language, category, status == null ? CatalogueTemplate.APPROVED : status, body);
        }
    }
}
