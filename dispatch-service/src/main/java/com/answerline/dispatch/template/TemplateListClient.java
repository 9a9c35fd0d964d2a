package com.answerline.dispatch.template;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;

import reactor.core.publisher.Mono;

/**
 * Reads a WABA's template list: {@code GET {baseUrl}/{version}/{waba_id}/message_templates} with the Cloud API's
 * bearer token, following Graph API paging ({@code paging.next} present -> ask again with
 * {@code after=paging.cursors.after}) until the last page. Fails on an error status or an answer without a
 * {@code data} array, so a broken answer can never pass for an empty catalogue.
 */
public class TemplateListClient {

    private final WebClient web;
    private final String apiVersion;
    private final int pageSize;

    /** @param cloudApi see {@link WhatsAppClient#cloudApi}: the Cloud API's base URL, token and timeouts */
    public TemplateListClient(WebClient cloudApi, String apiVersion, int pageSize) {
        this.web = cloudApi;
        this.apiVersion = apiVersion;
        this.pageSize = pageSize;
    }

    /** Every template of the WABA, all pages. */
    public Mono<List<CatalogueTemplate>> templatesOf(String wabaId) {
        return page(wabaId, null)
                .expand(page -> page.hasNext() ? page(wabaId, page.paging().cursors().after()) : Mono.empty())
                .flatMapIterable(Page::data)
                .map(Item::toTemplate)
                .collectList();
    }

    private Mono<Page> page(String wabaId, String after) {
        return web.get()
                .uri(uri -> {
                    uri.path("/{version}/{wabaId}/message_templates").queryParam("limit", pageSize);
                    if (after != null) {
                        uri.queryParam("after", after);
                    }
                    return uri.build(apiVersion, wabaId);
                })
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(Page.class)
                .flatMap(page -> page.data() == null
                        ? Mono.error(new IllegalStateException("template list answer without data"))
                        : Mono.just(page));
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Page(List<Item> data, Paging paging) {

        boolean hasNext() {
            return paging != null && paging.next() != null && paging.cursors() != null && paging.cursors().after() != null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Paging(Cursors cursors, String next) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Cursors(String before, String after) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Item(String name, String language, String status, String category, String source, List<Component> components) {

        CatalogueTemplate toTemplate() {
            String body = components == null ? null : components.stream()
                    .filter(c -> "BODY".equalsIgnoreCase(c.type()))
                    .map(Component::text)
                    .findFirst().orElse(null);
            return new CatalogueTemplate(name, language, category, status == null ? "UNKNOWN" : status, body, source);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Component(String type, String text) {
    }
}
