package com.answerline.sandbox.phone;

/** How a message reached the customer's phone. */
public enum PhoneChannel {
    WHATSAPP, WHATSAPP_TEMPLATE, SMS
}
