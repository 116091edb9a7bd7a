/**
 * The reference's groups, in the order it shows them, each with one line saying what it
 * holds. An endpoint's `tag` must be one of these (the OpenAPI test checks it).
 */
export const TAGS: Record<string, string> = {
  Platform: "The service itself: home, health, this reference and its OpenAPI document.",
  Auth: "Logging in: a username and password for a token.",
  Users: "Actions on any kind of user: deletion and passwords.",
  Children: "Children's accounts.",
  Educators: "Educators' accounts.",
  "Health professionals": "Health professionals' accounts.",
  Families: "Families' accounts and the children associated with them.",
  Applications: "Accounts of the applications that send data for children.",
  "Children groups": "The groups of children an educator or health professional follows.",
  Institutions: "Schools and other institutions users belong to.",
  "Physical activities": "A child's physical activities.",
  "Daily logs": "A child's daily totals: steps, calories and active minutes.",
  Sleep: "A child's sleep records.",
  Weights: "A child's weights.",
  "Body fats": "A child's body fat measurements.",
  Environments: "Environment readings (temperature, humidity…) of an institution.",
  Wearables: "Connecting a child's wearable account (Google Health, or legacy Fitbit) and " +
    "synchronising its data; Google Health's push notifications; pending remote revocations.",
  Audit: "The audit trail: who read or changed what, and when (admins only).",
};
