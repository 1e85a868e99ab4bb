/**
 * The SIREN, the 9-digit number INSEE gives every French business and public body (Code de commerce
 * R123-220 ff.). Its last digit is a Luhn check digit (INSEE, "Répertoire Sirene : contrôle des
 * numéros"): from the right, every second digit is doubled (9 subtracted when above 9) and the sum of
 * all digits must be a multiple of 10.
 */
export function isValidSiren(value: string): boolean {
  if (!/^[0-9]{9}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let digit = value.charCodeAt(8 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
