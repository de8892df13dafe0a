import { z } from "zod";

export const EMAIL_MAX = 254;
export const NAME_MAX = 100;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

export const EmailSchema = z
  .string({ required_error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(EMAIL_MAX, `An email address has at most ${EMAIL_MAX} characters.`)
  .email("Enter a valid email address.");

export const LoginSchema = z.object({
  email: EmailSchema,
  password: z.string({ required_error: "Enter your password." }).min(1, "Enter your password.").max(PASSWORD_MAX),
  redirectTo: z.string().optional(),
});

export const SignupSchema = z.object({
  name: z
    .string({ required_error: "Enter your name." })
    .trim()
    .min(1, "Enter your name.")
    .max(NAME_MAX, `A name has at most ${NAME_MAX} characters.`),
  email: EmailSchema,
  password: z
    .string({ required_error: "Choose a password." })
    .min(PASSWORD_MIN, `A password has at least ${PASSWORD_MIN} characters.`)
    .max(PASSWORD_MAX, `A password has at most ${PASSWORD_MAX} characters.`),
  redirectTo: z.string().optional(),
});
