package com.answerline.sandbox.phone;

/** How a message reached the customer's phone; WHATSAPP_DIRECT_SEND: a free-form text sent through Direct Send. */
public enum PhoneChannel {
    WHATSAPP, WHATSAPP_TEMPLATE, SMS, WHATSAPP_DIRECT_SEND
}
