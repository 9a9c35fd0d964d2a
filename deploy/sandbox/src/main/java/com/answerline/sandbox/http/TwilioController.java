package com.answerline.sandbox.http;

import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.sms.SmsService;
import com.answerline.sandbox.sms.TwilioApiException;
import com.answerline.sandbox.sms.TwilioError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Twilio's {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}, form-encoded, basic auth. */
@RestController
class TwilioController {

    private final SmsService sms;
    private final SandboxProperties.Sms account;

    TwilioController(SmsService sms, SandboxProperties properties) {
        this.sms = sms;
        this.account = properties.sms();
    }

    @PostMapping(path = "/2010-04-01/Accounts/{accountSid}/Messages.json",
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> create(@PathVariable String accountSid,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            ServerWebExchange exchange) {
        authorize(authorization);
        if (!account.accountSid().equals(accountSid)) {
            throw new TwilioApiException(TwilioError.notFound(exchange.getRequest().getPath().value()));
        }
        return exchange.getFormData()
                .flatMap(form -> sms.send(new SmsService.SendSms(
                        form.getFirst("To"), form.getFirst("From"), form.getFirst("Body"), form.getFirst("StatusCallback"))))
                .map(body -> ResponseEntity.status(HttpStatus.CREATED).body(body));
    }

    private void authorize(String authorization) {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (account.accountSid() + ":" + account.authToken()).getBytes(StandardCharsets.UTF_8));
        byte[] presented = authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, expected.getBytes(StandardCharsets.UTF_8))) {
            throw new TwilioApiException(TwilioError.authenticate());
        }
    }
}
