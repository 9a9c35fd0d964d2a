package com.answerline.sandbox.whatsapp;

/** Template categories WhatsApp prices by. */
public enum TemplateCategory {
    MARKETING, UTILITY, AUTHENTICATION
}
