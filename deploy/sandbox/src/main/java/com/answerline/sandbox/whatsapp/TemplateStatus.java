package com.answerline.sandbox.whatsapp;

/** Review status of a template; only APPROVED ones can be sent. */
public enum TemplateStatus {
    APPROVED, PENDING, REJECTED, PAUSED, DISABLED
}
