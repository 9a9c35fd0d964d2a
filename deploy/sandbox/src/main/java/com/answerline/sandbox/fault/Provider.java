package com.answerline.sandbox.fault;

/** The emulated APIs a fault can be switched on for. */
public enum Provider {
    WHATSAPP, SMS
}
