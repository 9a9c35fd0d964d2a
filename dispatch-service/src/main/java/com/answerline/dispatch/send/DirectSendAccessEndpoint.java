package com.answerline.dispatch.send;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import com.answerline.avro.DirectSendAccessEntry;
import com.answerline.dispatch.decision.DirectSendAccess;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * The operators' view of Direct Send refusals, on the management port only ({@code /actuator/directsend}; role
 * {@code operator} required, see {@code SecurityConfig}): {@code GET} lists every business number's latest entry and
 * whether a refusal is in force; {@code POST /actuator/directsend/{phoneNumberId}} re-enables Direct Send for that
 * number at once (after the business regained access, or to try again before the re-check time), for every instance.
 */
@Endpoint(id = "directsend")
public class DirectSendAccessEndpoint {

    private static final Logger log = LoggerFactory.getLogger(DirectSendAccessEndpoint.class);

    private final DirectSendRefusals refusals;
    private final TenantDirectory numbers;
    private final Clock clock;

    public DirectSendAccessEndpoint(DirectSendRefusals refusals, TenantDirectory numbers, Clock clock) {
        this.refusals = refusals;
        this.numbers = numbers;
        this.clock = clock;
    }

    /**
     * One business number's access as the decision sees it now.
     *
     * @param refusedWith 100 or 139200 while a refusal is in force, null when Direct Send may be tried
     * @param recheckAt   when it is tried again by itself, null: only when re-enabled
     * @param state       the latest entry's state (REFUSED, REENABLED)
     * @param changedBy   the operator who re-enabled it, or the command whose send was refused
     */
    public record NumberAccess(String phoneNumberId, String tenantId, Integer refusedWith, Instant refusedAt,
                               Instant recheckAt, String state, Instant changedAt, String changedBy) {
    }

    /** The outcome of a re-enabling: the refusal that was in force (null fields when none was). */
    public record Reenabled(String phoneNumberId, String tenantId, Integer refusedWith, Instant refusedAt,
                            String reenabledBy, Instant reenabledAt) {
    }

    @ReadOperation
    public List<NumberAccess> numbers() {
        Instant now = clock.instant();
        return refusals.entries().stream().map(entry -> access(entry, now)).toList();
    }

    /** Re-enables Direct Send for the number: 200 with the refusal lifted, 404 for a number no tenant owns. */
    @WriteOperation
    public WebEndpointResponse<Reenabled> reenable(@Selector String phoneNumberId, SecurityContext security) {
        Optional<BusinessNumber> number = numbers.byPhoneNumberId(phoneNumberId);
        if (number.isEmpty()) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        Principal principal = security.getPrincipal();
        String operator = principal == null ? "unknown" : principal.getName();
        Instant now = clock.instant();
        Optional<DirectSendAccess.Refusal> lifted = refusals.reenable(number.get().tenantId(), phoneNumberId, operator, now);
        log.info("Direct Send re-enabled for business number {} by {} (refusal in force: {})", phoneNumberId, operator,
                lifted.map(refusal -> Integer.toString(refusal.code())).orElse("none"));
        return new WebEndpointResponse<>(new Reenabled(phoneNumberId, number.get().tenantId(),
                lifted.map(DirectSendAccess.Refusal::code).orElse(null),
                lifted.map(DirectSendAccess.Refusal::refusedAt).orElse(null), operator, now));
    }

    private NumberAccess access(DirectSendAccessEntry entry, Instant now) {
        Optional<DirectSendAccess.Refusal> refusal = refusals.refusal(entry.getPhoneNumberId(), now);
        return new NumberAccess(entry.getPhoneNumberId(), entry.getTenantId(),
                refusal.map(DirectSendAccess.Refusal::code).orElse(null),
                refusal.map(DirectSendAccess.Refusal::refusedAt).orElse(null),
                refusal.map(DirectSendAccess.Refusal::recheckAt).orElse(null),
                entry.getState().name(), entry.getChangedAt(), entry.getChangedBy());
    }
}
