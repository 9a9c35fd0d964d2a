package com.answerline.sandbox.fault;

/** The emulated APIs a fault can be switched on for: WhatsApp's sends, SMS sends, the Cloud API's media retrieval. */
public enum Provider {
    WHATSAPP, SMS, MEDIA
}
