package com.answerline.session.window;

/** The channel a message travelled on, as the rules see it (mirrors the wire enum without depending on it). */
public enum Channel {
    WHATSAPP, WHATSAPP_TEMPLATE, SMS, UNKNOWN
}
