/**
 * Educators and health professionals behave identically (account.md §7, §8); a kind holds
 * what differs: stored type, message label and path parameter.
 */
export interface ProfessionalKind {
  type: "educator" | "healthprofessional";
  /** The word in messages: `Educator not found!`, `Health Professional is already registered...`. */
  label: string;
  /** The path parameter naming one of them. */
  idParam: "educator_id" | "healthprofessional_id";
}

/** `/v1/educators`. */
export const EDUCATOR: ProfessionalKind = {
  type: "educator",
  label: "Educator",
  idParam: "educator_id",
};

/** `/v1/healthprofessionals`. */
export const HEALTH_PROFESSIONAL: ProfessionalKind = {
  type: "healthprofessional",
  label: "Health Professional",
  idParam: "healthprofessional_id",
};
