import type { ReferralTransitionError } from "@halte/core";
import { ApiProblem } from "../../problem.js";

export function transitionProblem(error: ReferralTransitionError): ApiProblem {
  switch (error.code) {
    case "illegal_transition":
    case "actor_not_allowed":
      return new ApiProblem("illegal_transition", error.message);
    case "reason_required":
      return new ApiProblem("validation_failed", error.message, [
        { path: ["reason"], code: "required", message: error.message },
      ]);
    case "reason_not_allowed":
      return new ApiProblem("validation_failed", error.message, [
        { path: ["reason"], code: "invalid_value", message: error.message },
      ]);
    case "consent_required":
      return new ApiProblem("validation_failed", error.message, [
        { path: ["consent"], code: "required", message: error.message },
      ]);
    case "already_in_status":
    case "stale":
      return new ApiProblem("conflict", error.message);
  }
}
