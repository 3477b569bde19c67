from sitegen.start import main

main()
