package com.answerline.session.window;

/**
 * The channel a message travelled on, as the rules see it (mirrors the wire enum without depending on it: every
 * wire symbol has its twin here, in the same order, or {@code WireMapping} could not read it).
 * WHATSAPP_DIRECT_SEND: the agent's text on WhatsApp after the window, through Direct Send (it answers the customer
 * like any reply; nothing we send touches the window).
 */
public enum Channel {
    WHATSAPP, WHATSAPP_TEMPLATE, SMS, UNKNOWN, WHATSAPP_DIRECT_SEND
}
