package com.answerline.sandbox.http;

import com.answerline.sandbox.sms.TwilioApiException;
import com.answerline.sandbox.whatsapp.CloudApiException;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;

/** Each emulated API answers errors in its provider's shape; the sandbox's own endpoints as {"error": "..."}. */
@RestControllerAdvice
class ErrorResponses {

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> cloudApi(CloudApiException e) {
        return ResponseEntity.status(e.error().httpStatus()).body(e.error().toBody());
    }

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> twilio(TwilioApiException e) {
        return ResponseEntity.status(e.error().status()).body(e.error().toBody());
    }

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> sandbox(ResponseStatusException e) {
        String reason = e.getReason() != null ? e.getReason() : e.getStatusCode().toString();
        return ResponseEntity.status(e.getStatusCode()).body(Map.of("error", reason));
    }
}
