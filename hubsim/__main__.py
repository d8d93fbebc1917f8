from hubsim.cli import main

main()
