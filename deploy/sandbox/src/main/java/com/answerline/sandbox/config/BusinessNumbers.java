package com.answerline.sandbox.config;

import com.answerline.sandbox.config.SandboxProperties.BusinessNumber;
import java.util.List;
import java.util.Optional;

/** Look-ups over the configured business numbers (few, so a linear scan is enough). */
public record BusinessNumbers(List<BusinessNumber> all) {

    public BusinessNumbers {
        all = List.copyOf(all);
    }

    public Optional<BusinessNumber> byPhoneNumberId(String phoneNumberId) {
        return all.stream().filter(n -> n.phoneNumberId().equals(phoneNumberId)).findFirst();
    }

    public Optional<BusinessNumber> byWabaId(String wabaId) {
        return all.stream().filter(n -> n.wabaId().equals(wabaId)).findFirst();
    }

    /** By SMS sender/recipient address: "+15550000001" or "15550000001". */
    public Optional<BusinessNumber> bySmsAddress(String address) {
        String digits = address == null ? "" : address.trim().replaceFirst("^\\+", "");
        return all.stream().filter(n -> n.displayPhoneNumber().equals(digits)).findFirst();
    }
}
